using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class PushApiTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task WithoutTheKeyThePushApiIs401()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        var response = await http.PostAsJsonAsync("/api/push", new { target = new { topic = "x" }, payload = new { } });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"payload\":{}}")]
    [InlineData("{\"target\":{\"planet\":\"mars\"},\"payload\":{}}")]
    [InlineData("{\"target\":{\"user\":\"a\",\"room\":\"b\"},\"payload\":{}}")]
    [InlineData("{\"target\":{\"topic\":\"t\"},\"payload\":5}")]
    [InlineData("not json")]
    [InlineData("{\"target\":{\"topic\":\"cluster\"},\"payload\":{}}")]
    [InlineData("{\"target\":{\"topic\":\"bad topic!\"},\"payload\":{}}")]
    public async Task AnInvalidPushIs400Problem(string body)
    {
        using var http = Client();
        var response = await http.PostAsync("/api/push", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("user", "nobody-ever-signed-in")]
    [InlineData("session", "s-unknown")]
    [InlineData("tab", "s-unknown/abcdefgh")]
    [InlineData("room", "never-used-room")]
    public async Task AnUnknownTargetIs404(string kind, string value)
    {
        using var http = Client();
        var response = await http.PostAsJsonAsync("/api/push", new { target = new Dictionary<string, string> { [kind] = value }, payload = new { } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PushToAUserReachesEveryTabOfEverySessionOnTheirOwnTabStream()
    {
        var user = "pushed-" + Guid.NewGuid().ToString("N")[..8];
        using var first = await TestSession.SignInAsync(fixture.Server, user);
        using var second = await TestSession.SignInAsync(fixture.Server, user);
        var (a, _) = await first.OpenAsync("chat");
        var (b, _) = await second.OpenAsync("dashboard");
        await using (a)
        await using (b)
        {
            using var http = Client();
            var response = await http.PostAsJsonAsync("/api/push", new { target = new { user }, payload = new { n = 1 } });
            Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivered").GetInt32());
            foreach (var tab in new[] { a, b })
            {
                var message = await tab.ExpectAsync("message");
                Assert.Equal("tab", message.GetProperty("stream").GetString());
                Assert.Equal(1, message.GetProperty("payload").GetProperty("n").GetInt32());
            }
        }
    }

    [Fact]
    public async Task APushToADisconnectedTabIsKeptAndReplayedOnResume()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tabId = TabClient.NewId();
        var (tab, welcome) = await session.OpenAsync("chat", tabId);
        var epoch = welcome.GetProperty("streams").GetProperty("tab").GetProperty("epoch").GetString()!;
        tab.Abort();
        await tab.DisposeAsync();

        using var http = Client();
        for (var i = 1; i <= 3; i++)
        {
            var response = await http.PostAsJsonAsync("/api/push", new { target = new { tab = $"{session.Handle}/{tabId}" }, payload = new { i } });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var (back, _) = await session.OpenAsync("chat", tabId);
        await using (back)
        {
            var (frames, resumed) = await back.ResumeAsync("tab", epoch, 0);
            Assert.Equal([1L, 2, 3], frames.Where(f => f.GetProperty("type").GetString() == "message").Select(f => f.Offset()));
            Assert.True(resumed.GetProperty("streams").GetProperty("tab").GetProperty("recovered").GetBoolean());
        }
    }

    [Fact]
    public async Task PushToARoomIsAppendedToItsStream()
    {
        var (session, room, tab) = await RoomMemberAsync();
        using (session)
        await using (tab)
        {
            using var http = Client();
            var response = await http.PostAsJsonAsync("/api/push", new { target = new { room }, payload = new { notice = "maintenance" } });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var message = Assert.Single(await tab.MessagesAsync("room:" + room, 1));
            Assert.Equal("maintenance", message.GetProperty("payload").GetProperty("notice").GetString());
        }
    }

    [Fact]
    public async Task PushToATopicReachesDashboardsAsASnapshot()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("dashboard");
        await using (tab)
        {
            var topic = "orders-" + Guid.NewGuid().ToString("N")[..6];
            using var http = Client();
            var response = await http.PostAsJsonAsync("/api/push", new { target = new { topic }, payload = new { open = 3 } });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(3, (await tab.SnapshotAsync(topic)).GetProperty("data").GetProperty("open").GetInt32());
        }
    }

    [Fact]
    public async Task APushRepeatedWithItsIdempotencyKeyIsDeliveredOnceAndAnsweredTheSame()
    {
        var (session, room, tab) = await RoomMemberAsync();
        using (session)
        await using (tab)
        {
            using var http = Client();
            var key = Guid.NewGuid().ToString("N");
            var answers = new List<int>();
            foreach (var target in new object[] { new { session = session.Handle }, new { session = session.Handle }, new { room }, new { room } })
            {
                using var push = new HttpRequestMessage(HttpMethod.Post, "/api/push") { Content = JsonContent.Create(new { target, payload = new { key } }) };
                push.Headers.Add("Idempotency-Key", key);
                var response = await http.SendAsync(push);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                answers.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivered").GetInt32());
            }

            // The same key to the same target is one delivery, answered alike; to another target it is a push of its own.
            Assert.Equal([1, 1, 1, 1], answers);
            Assert.Single(await tab.MessagesAsync("tab", 1));
            Assert.Single(await tab.MessagesAsync("room:" + room, 1));
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
            Assert.False(tab.TryTake(out var extra), $"a repeat was delivered again: {extra}");
        }
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("an-overly-long-key-of-more-than-128-characters-an-overly-long-key-of-more-than-128-characters-an-overly-long-key-of-more-than-128-c")]
    public async Task AnInvalidIdempotencyKeyIs400Problem(string key)
    {
        using var http = Client();
        using var push = new HttpRequestMessage(HttpMethod.Post, "/api/push") { Content = JsonContent.Create(new { target = new { topic = "t" }, payload = new { } }) };
        push.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await http.SendAsync(push);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A signed-in chat tab that joined a fresh room.</summary>
    private async Task<(TestSession Session, string Room, TabClient Tab)> RoomMemberAsync()
    {
        var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var (tab, _) = await session.OpenAsync("chat");
        await tab.JoinAsync(room);
        return (session, room, tab);
    }

    private HttpClient Client() => TestHosts.PushClient(fixture.Server);
}
