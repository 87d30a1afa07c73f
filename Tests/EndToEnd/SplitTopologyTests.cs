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
    public async Task PushToATabReachesItOnWhicheverFrontEndHoldsIt()
    {
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        var (tab, _) = await session.OpenAsync("chat", via: cluster.Web2.Address);
        await using (tab)
        {
            using var http = new HttpClient { BaseAddress = cluster.Web1.Address };
            http.DefaultRequestHeaders.Add("X-Push-Key", TestHosts.PushKey);
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
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Http.GetAsync("/health/ready")).StatusCode);
    }
}
