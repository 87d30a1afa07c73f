using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Two Web front-ends (Orleans clients) and a silo on one Redis cluster: any front-end serves any tab.</summary>
[Collection(SplitClusterCollection.Name)]
public sealed class SplitTopologyTests(SplitClusterFixture cluster)
{
    [Fact]
    public async Task LogoutThroughFrontEnd1ClosesATabHeldByFrontEnd2With4501()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        var (onTwo, _) = await session.OpenAsync("chat", via: cluster.Web2.Address);
        var (onOne, _) = await session.OpenAsync("dashboard");
        await using (onTwo)
        await using (onOne)
        {
            await session.LogoutAsync(cluster.Web1.Address);
            Assert.Equal(4501, (await onTwo.ExpectCloseAsync()).Code);
            Assert.Equal(4501, (await onOne.ExpectCloseAsync()).Code);
        }
    }

    [Fact]
    public async Task TheCookieFromOneFrontEndIsReadByTheOther()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        using var http = session.HttpFor(cluster.Web2.Address);
        var me = await http.GetFromJsonAsync<JsonElement>("/auth/me");
        Assert.Equal(session.Handle, me.GetProperty("session").GetString());
    }

    [Fact]
    public async Task ATabDisconnectedFromOneFrontEndResumesOnTheOtherWithExactlyTheMissedMessages()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        var room = ChatStreams.NewRoom();
        var tabB = TabClient.NewId();
        var (a, _) = await session.OpenAsync("chat", via: cluster.Web1.Address);
        var (b, _) = await session.OpenAsync("chat", tabB, via: cluster.Web1.Address);
        await using (a)
        {
            await a.JoinAsync(room);
            var joined = await b.JoinAsync(room);
            var epoch = joined.GetProperty("epoch").GetString()!;
            b.Abort();
            await b.DisposeAsync();

            for (var i = 0; i < 50; i++)
            {
                await a.SendChatAsync(room, $"m{i}", $"text {i}");
            }

            var (onTwo, _) = await session.OpenAsync("chat", tabB, via: cluster.Web2.Address);
            await using (onTwo)
            {
                var (frames, resumed) = await onTwo.ResumeAsync("room:" + room, epoch, 0);
                var messages = frames.Where(f => f.GetProperty("type").GetString() == "message").ToList();
                Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), messages.Select(m => m.Offset()));
                Assert.Equal(50, resumed.GetProperty("streams").GetProperty("room:" + room).GetProperty("replayed").GetInt32());

                await a.SendChatAsync(room, "live", "across front-ends");
                Assert.Equal(51, Assert.Single(await onTwo.MessagesAsync("room:" + room, 1)).Offset());
            }
        }
    }

    [Fact]
    public async Task TheSameInstanceMovingToTheOtherFrontEndSupersedesTheOldSocket()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        var tab = TabClient.NewId();
        var instance = TabClient.NewId();
        var (old, _) = await session.OpenAsync("chat", tab, instance, via: cluster.Web1.Address);
        var (moved, _) = await session.OpenAsync("chat", tab, instance, via: cluster.Web2.Address);
        await using (old)
        await using (moved)
        {
            Assert.Equal(4509, (await old.ExpectCloseAsync()).Code);
            var me = (await session.MeAsync())!.Value;
            var entry = Assert.Single(me.GetProperty("tabs").EnumerateArray());
            Assert.True(entry.GetProperty("connected").GetBoolean());
        }
    }

    [Fact]
    public async Task SignOutEverywhereThroughOneFrontEndClosesTheTabsOfEverySessionOnTheOther()
    {
        var user = "everywhere-" + Guid.NewGuid().ToString("N")[..8];
        using var laptop = await TestSession.SignInAsync(cluster.Web1.Address, user);
        using var phone = await TestSession.SignInAsync(cluster.Web2.Address, user);
        var (a, _) = await laptop.OpenAsync("chat", via: cluster.Web2.Address);
        var (b, _) = await phone.OpenAsync("dashboard", via: cluster.Web2.Address);
        var (c, _) = await phone.OpenAsync("chat", via: cluster.Web1.Address);
        await using (a)
        await using (b)
        await using (c)
        {
            using var http = laptop.HttpFor(cluster.Web1.Address);
            Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/auth/logout?scope=user", null)).StatusCode);
            foreach (var tab in new[] { a, b, c })
            {
                Assert.Equal(4501, (await tab.ExpectCloseAsync()).Code);
            }

            Assert.Null(await phone.MeAsync());
        }
    }

    [Fact]
    public async Task AOncePushKeptThroughOneFrontEndReachesTheNextTabOnTheOther()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        using var http = TestHosts.PushClient(cluster.Web1.Address);
        var response = await http.PostAsJsonAsync("/api/push", new { target = new { session = session.Handle }, delivery = "once", payload = new { kept = 1 } });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, answer.GetProperty("delivered").GetInt32());
        Assert.Equal(1, answer.GetProperty("queued").GetInt32());

        var (tab, _) = await session.OpenAsync("chat", via: cluster.Web2.Address);
        await using (tab)
        {
            var message = await tab.ExpectAsync("message");
            Assert.Equal("tab", message.GetProperty("stream").GetString());
            Assert.Equal(1, message.GetProperty("payload").GetProperty("kept").GetInt32());
        }
    }

    [Fact]
    public async Task PresenceDiffsReachTheWatchersOnBothFrontEndsInTheSameOrder()
    {
        var room = ChatStreams.NewRoom();
        using var ann = await TestSession.SignInAsync(cluster.Web1.Address);
        using var bob = await TestSession.SignInAsync(cluster.Web2.Address);
        using var cyd = await TestSession.SignInAsync(cluster.Web1.Address);
        var (a, _) = await ann.OpenAsync("chat", via: cluster.Web1.Address);
        var (b, _) = await bob.OpenAsync("chat", via: cluster.Web2.Address);
        await using (a)
        await using (b)
        {
            foreach (var watcher in new[] { a, b })
            {
                await watcher.JoinAsync(room);
                await watcher.SendAsync(new { type = "who", room });
                await watcher.ExpectAsync("presence");
            }

            // Bob's own arrival reached Ann as a diff after her `who`, or was in Bob's answer: compare from Cyd's arrival on.
            var watchers = new[] { a, b };
            var seen = new[] { new List<string>(), new List<string>() };
            async Task ReadUntilAsync(Func<JsonElement, bool> last)
            {
                for (var i = 0; i < watchers.Length; i++)
                {
                    JsonElement frame;
                    do
                    {
                        frame = await watchers[i].ExpectAsync("presence");
                        if (seen[i].Count > 0 || frame.GetRawText().Contains(cyd.User, StringComparison.Ordinal))
                        {
                            seen[i].Add(frame.GetRawText());
                        }
                    }
                    while (!last(frame));
                }
            }

            bool Lists(JsonElement frame, string member) => frame.GetProperty(member).EnumerateArray().Any(u => u.GetString() == cyd.User);

            var (c1, _) = await cyd.OpenAsync("chat", via: cluster.Web1.Address);
            var (c2, _) = await cyd.OpenAsync("chat", via: cluster.Web2.Address);
            await c1.JoinAsync(room);
            await c2.JoinAsync(room);
            await ReadUntilAsync(f => Lists(f, "online"));

            // Changes seen as they come (a tab that came and went within one diff's gathering would be in neither list).
            await c2.SendAsync(new { type = "state", visibility = "hidden", focused = false });
            await c1.SendAsync(new { type = "leave", room });
            await c2.DisposeAsync();
            await c1.DisposeAsync();
            await ReadUntilAsync(f => Lists(f, "offline"));

            Assert.NotEmpty(seen[0]);
            Assert.Equal(seen[0], seen[1]);
        }
    }

    [Fact]
    public async Task PushToATabReachesItOnWhicheverFrontEndHoldsIt()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        var (tab, _) = await session.OpenAsync("chat", via: cluster.Web2.Address);
        await using (tab)
        {
            using var http = TestHosts.PushClient(cluster.Web1.Address);
            var response = await http.PostAsJsonAsync("/api/push", new { target = new { tab = $"{session.Handle}/{tab.Tab}" }, payload = new { hello = "world" } });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivered").GetInt32());

            var message = await tab.ExpectAsync("message");
            Assert.Equal("tab", message.GetProperty("stream").GetString());
            Assert.Equal(1, message.Offset());
            Assert.Equal("world", message.GetProperty("payload").GetProperty("hello").GetString());
        }
    }

    [Fact]
    public async Task AClientModeFrontEndServesTheDashboardAndIsReady()
    {
        using var session = await TestSession.SignInWithTokenAsync(cluster.Web2.Address, TestTokens.ForUser("operator", "admin"));
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync(new Uri(cluster.Web2.Management, "/orleans/"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/health/ready")).StatusCode);
    }
}
