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

}
