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

    /// <summary>
    /// Attaches of one session interleave and share their writes: tabs connecting all at once are each welcomed, each
    /// listed as connected, and each closed by the logout (a lost or conflicting write would drop one of them).
    /// </summary>
    [Fact]
    public async Task TabsOfOneSessionConnectingAtOnceAreAllAttachedAndAllClosedByTheLogout()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var opened = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => session.OpenAsync("chat")));
        var tabs = opened.Select(o => o.Client).ToList();
        try
        {
            var listed = (await session.MeAsync())!.Value.GetProperty("tabs").EnumerateArray()
                .Where(t => t.GetProperty("connected").GetBoolean())
                .Select(t => t.GetProperty("tab").GetString())
                .ToHashSet();
            Assert.Equal(opened.Select(o => o.Welcome.GetProperty("tab").GetString()).ToHashSet(), listed);

            await session.LogoutAsync();
            foreach (var tab in tabs)
            {
                var (code, _) = await tab.ExpectCloseAsync();
                Assert.Equal(4501, code);
            }
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
