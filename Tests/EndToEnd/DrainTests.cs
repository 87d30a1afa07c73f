using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A stopping front-end drains (docs/deployment.md, "Graceful drain"): not ready and refusing new upgrades from the
/// moment stopping begins, then its open sockets closed with 1001 spread over the drain window. Each test on a host of
/// its own, since each stops it.
/// </summary>
public sealed class DrainTests
{
    [Fact]
    public async Task OnceStoppingBeginsTheFrontEndIsNotReadyAndRefusesNewUpgradesWhileOpenSocketsRunOn()
    {
        var web = await StartAsync(window: "00:00:05");
        await using (web)
        {
            using var session = await TestSession.SignInAsync(web.Address);
            var (tab, _) = await session.OpenAsync("chat");
            await using (tab)
            {
                Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/health/ready")).StatusCode);

                // What SIGTERM does first: the host's stopping signal, before any service is told to stop.
                web.App.Lifetime.StopApplication();

                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await session.Http.GetAsync("/health/ready")).StatusCode);
                var refused = await UpgradeProbe.SendAsync(web.Address, session.Cookies, $"/ws/chat?tab={TabClient.NewId()}&instance={TabClient.NewId()}&v=1");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("draining", problem.GetProperty("reason").GetString());

                // The drain closes open sockets only once the host stops: until then this one is served.
                await tab.SendAsync(new { type = "ping" });
                await tab.ExpectAsync("pong");
                Assert.False(tab.Closed.IsCompleted, "an open socket was closed before the host stopped");

                var stopping = web.App.StopAsync();
                var (code, reason) = await tab.ExpectCloseAsync();
                Assert.Equal(1001, code);
                Assert.Contains("going_away", reason, StringComparison.Ordinal);
                await stopping;
            }
        }
    }

    [Fact]
    public async Task TheDrainClosesEverySocketWith1001SpreadOverTheWindowNotAllAtOnce()
    {
        const int Tabs = 5;
        var window = TimeSpan.FromSeconds(4);
        var web = await StartAsync(window: window.ToString());
        await using (web)
        {
            using var session = await TestSession.SignInAsync(web.Address);
            var tabs = new List<TabClient>();
            for (var i = 0; i < Tabs; i++)
            {
                tabs.Add((await session.OpenAsync("chat")).Client);
            }

            try
            {
                // Closes due at 0, 1/5, 2/5, 3/5 and 4/5 of the window: the last two cannot come before its middle, however
                // loaded the machine (a late timer only makes a close later), and all five would come at once without the spread.
                var watch = Stopwatch.StartNew();
                var stopping = web.App.StopAsync();
                var closes = await Task.WhenAll(tabs.Select(async tab =>
                {
                    var (code, _) = await tab.ExpectCloseAsync(window + Deadline.Default);
                    return (Code: code, At: watch.Elapsed);
                }));
                await stopping;

                Assert.All(closes, close => Assert.Equal(1001, close.Code));
                var beforeMiddle = closes.Count(c => c.At < window / 2);
                Assert.True(beforeMiddle <= 3, $"{beforeMiddle} of {Tabs} sockets were closed in the first half of the window");
                Assert.True(closes.Max(c => c.At) >= window * 3 / 5, $"the last socket was closed {closes.Max(c => c.At)} after the stop began");
            }
            finally
            {
                foreach (var tab in tabs)
                {
                    await tab.DisposeAsync();
                }
            }
        }
    }

    private static Task<RunningWeb> StartAsync(string window)
    {
        var serviceId = TestRedis.NewServiceId("drain");
        return TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?> { ["OrleansTabs:FrontEnd:DrainWindow"] = window }));
    }
}
