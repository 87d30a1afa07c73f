using System.Diagnostics;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Browser;

/// <summary>A browser session across its tabs: sign-out, expiry and <c>GET /auth/me</c>.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTabsTests(BrowserFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [BrowserFact]
    public async Task SignOutInOneTabSignsOutEveryTabWith4501AndNoneReconnects()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var tabs = await OpenTabsAsync(await scenario.SignInAsync());

            await tabs[0].Page.Locator("#signout").ClickAsync();

            await ExpectAllSignedOutAsync(tabs);
        });
    }

    [BrowserFact]
    public async Task APageSignsInWithABearerTokenAndItsTabsConnectAsThatUser()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var context = await scenario.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync("/index.html");
            var session = await page.EvaluateAsync<JsonElement>(
                "async token => (await import('/js/orleanstabs.js')).signInWithIdentity({ token })", TestTokens.ForUser("browser-jwt"));
            Assert.Equal("sub-browser-jwt", session.GetProperty("user").GetString());
            Assert.Equal("browser-jwt", session.GetProperty("name").GetString());

            var tab = await BrowserScenario.OpenAsync(context);
            var me = await tab.Page.EvaluateAsync<JsonElement>("fetch('/auth/me').then(r => r.json())");
            Assert.Equal("sub-browser-jwt", me.GetProperty("user").GetString());
            Assert.Equal(1, me.GetProperty("tabs").GetArrayLength());
        });
    }

    [BrowserFact]
    public async Task SessionExpirySignsOutEveryTabWith4501AndNoneReconnects()
    {
        var lifetime = TimeSpan.FromSeconds(6);
        await using var web = await BrowserFixture.StartWebAsync("browser-expiry", new Dictionary<string, string?>
        {
            ["OrleansTabs:Sessions:AbsoluteLifetime"] = lifetime.ToString(),
            ["OrleansTabs:Sessions:SlidingExpiration"] = lifetime.ToString(),
            // Far longer than the session lives: the session's check runs at its deadline, not on this interval.
            ["OrleansTabs:Sessions:ExpiryCheckInterval"] = "00:01:00",
        });
        await using var scenario = new BrowserScenario(fixture.Browser, web.Address);
        await scenario.RunAsync(async () =>
        {
            var signedIn = Stopwatch.StartNew();
            var tabs = await OpenTabsAsync(await scenario.SignInAsync());
            Assert.True(signedIn.Elapsed < lifetime, $"the tabs took {signedIn.Elapsed} to open, longer than the session lives");

            await ExpectAllSignedOutAsync(tabs);
            Assert.True(signedIn.Elapsed >= lifetime, $"signed out after {signedIn.Elapsed}, before the session's lifetime");
        });
    }

    [BrowserFact]
    public async Task AuthMeListsExactlyTheOpenConnectedTabs()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var tabs = await OpenTabsAsync(await scenario.SignInAsync());
            var expected = new List<string>();
            foreach (var tab in tabs)
            {
                expected.Add($"{await tab.TabIdAsync()} {ChannelOf(tab)}");
            }

            var me = (await tabs[0].MeAsync())!.Value;
            Assert.Equal(expected.Order(), Listed(me, connected: true));
            Assert.Equal(expected.Order(), Listed(me, connected: null));
            Assert.All(me.GetProperty("tabs").EnumerateArray(), t => Assert.False(string.IsNullOrEmpty(t.GetProperty("frontEnd").GetString())));

            // A closed tab is no longer listed as connected.
            await tabs[1].Page.CloseAsync();
            expected.RemoveAt(1);
            await Deadline.UntilAsync(
                async () => Listed((await tabs[0].MeAsync())!.Value, connected: true).SequenceEqual(expected.Order()),
                "/auth/me no longer lists the closed tab as connected");
        });
    }

    /// <summary>Two chat tabs and one dashboard tab of one signed-in browser, all connected.</summary>
    private static async Task<BrowserTab[]> OpenTabsAsync(Microsoft.Playwright.IBrowserContext context) =>
    [
        await BrowserScenario.OpenAsync(context),
        await BrowserScenario.OpenAsync(context),
        await BrowserScenario.OpenAsync(context, "/dashboard.html"),
    ];

    private static async Task ExpectAllSignedOutAsync(BrowserTab[] tabs)
    {
        foreach (var tab in tabs)
        {
            await tab.ExpectSignedOutAsync();
        }

        foreach (var tab in tabs)
        {
            var closes = await tab.ClosesAsync();
            Assert.Equal([4501], closes);
        }

        await Task.WhenAll(tabs.Select(t => t.ExpectNoNewSocketAsync(Quiet)));
        Assert.Null(await tabs[0].MeAsync());
    }

    private static string ChannelOf(BrowserTab tab) => tab.Page.Url.Contains("dashboard", StringComparison.Ordinal) ? "dashboard" : "chat";

    /// <summary>"tab channel" of the listed tabs (only those with that <c>connected</c> value unless null), sorted.</summary>
    private static List<string> Listed(JsonElement me, bool? connected) =>
    [
        .. me.GetProperty("tabs").EnumerateArray()
            .Where(t => connected is null || t.GetProperty("connected").GetBoolean() == connected)
            .Select(t => $"{t.GetProperty("tab").GetString()} {t.GetProperty("channel").GetString()}")
            .Order(),
    ];
}
