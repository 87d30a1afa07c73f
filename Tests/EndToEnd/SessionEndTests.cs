using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class SessionEndTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task LogoutClosesEveryTabOfTheSessionWith4501AndNoOtherSession()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        using var other = await TestSession.SignInAsync(fixture.Server);
        var (chat1, _) = await session.OpenAsync("chat");
        var (chat2, _) = await session.OpenAsync("chat");
        var (dashboard, _) = await session.OpenAsync("dashboard");
        var (bystander, _) = await other.OpenAsync("chat");
        await using (chat1)
        await using (chat2)
        await using (dashboard)
        await using (bystander)
        {
            await session.LogoutAsync();

            foreach (var tab in new[] { chat1, chat2, dashboard })
            {
                var (code, reason) = await tab.ExpectCloseAsync();
                Assert.Equal(4501, code);
                Assert.Contains("session_ended", reason, StringComparison.Ordinal);
            }

            await bystander.SendAsync(new { type = "ping" });
            await bystander.ExpectAsync("pong");
            Assert.Null(await session.MeAsync());
        }
    }

    [Fact]
    public async Task ASilentSocketIsClosedWith4008()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            var heartbeat = TimeSpan.FromMilliseconds(welcome.GetProperty("heartbeatMs").GetInt32());
            var (code, _) = await tab.ExpectCloseAsync(heartbeat * 2 + Deadline.Default);
            Assert.Equal(4008, code);
        }
    }

    [Fact]
    public async Task PingsKeepASocketOpenPastTheHeartbeatTimeout()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            var heartbeat = TimeSpan.FromMilliseconds(welcome.GetProperty("heartbeatMs").GetInt32());
            var until = DateTime.UtcNow + heartbeat * 4;
            while (DateTime.UtcNow < until)
            {
                await tab.SendAsync(new { type = "ping" });
                await tab.ExpectAsync("pong");
                await Task.WhenAny(tab.Closed, Task.Delay(heartbeat / 2));
            }

            Assert.False(tab.Closed.IsCompleted, "a pinging socket was closed");
        }
    }
}
