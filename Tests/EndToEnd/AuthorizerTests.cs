using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>The application's authorizer (docs/protocol.md, "The application's hooks") at connect, join and send.</summary>
[Collection(HooksCollection.Name)]
public sealed class AuthorizerTests(HooksFixture fixture)
{
    [Fact]
    public async Task ADeniedConnectIs403WithReasonForbiddenAndIsNeverUpgraded()
    {
        using var session = await TestSession.SignInAsync(fixture.Server, "banned-" + TabClient.NewId()[..8]);
        var tab = TabClient.NewId();

        using var response = await UpgradeProbe.SendAsync(fixture.Server, session.Cookies, $"/ws/chat?tab={tab}&instance={tab}&v=1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("forbidden", problem.GetProperty("reason").GetString());
        Assert.Equal("Banned users may not connect.", problem.GetProperty("detail").GetString());
        Assert.Empty((await session.MeAsync())!.Value.GetProperty("tabs").EnumerateArray());
    }

    [Fact]
    public async Task ADeniedConnectThatIsNotAnUpgradeIsStill403()
    {
        using var session = await TestSession.SignInAsync(fixture.Server, "banned-" + TabClient.NewId()[..8]);
        var tab = TabClient.NewId();

        using var response = await session.Http.GetAsync($"/ws/chat?tab={tab}&instance={tab}&v=1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AConnectWhoseRuleFailsIs500AndNeverUpgraded()
    {
        using var session = await TestSession.SignInAsync(fixture.Server, "crash-" + TabClient.NewId()[..8]);
        var tab = TabClient.NewId();

        using var response = await UpgradeProbe.SendAsync(fixture.Server, session.Cookies, $"/ws/chat?tab={tab}&instance={tab}&v=1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty((await session.MeAsync())!.Value.GetProperty("tabs").EnumerateArray());
    }

    [Fact]
    public async Task AnUnauthenticatedConnectIsStill401BeforeTheAuthorizerIsAsked()
    {
        var tab = TabClient.NewId();
        using var response = await UpgradeProbe.SendAsync(fixture.Server, new CookieContainer(), $"/ws/chat?tab={tab}&instance={tab}&v=1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AnAllowedConnectIsAskedWithTheTabsContextAndTheSessionsClaims()
    {
        var token = TestTokens.Mint(new Dictionary<string, object> { ["sub"] = "sub-" + TabClient.NewId(), ["name"] = "Ann", ["team"] = "blue" });
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, token);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            var asked = fixture.Authorizer.Connects[session.Handle];
            Assert.Equal(session.User, asked.User);
            Assert.Equal(client.Tab, asked.Tab);
            Assert.Equal("chat", asked.Channel);
            Assert.Equal("blue", asked.FindClaim("team"));
            Assert.Equal("Ann", asked.FindClaim("name"));
        }
    }

    [Fact]
    public async Task ADeniedJoinIsForbiddenTheSocketStaysOpenAndAnAllowedJoinWorks()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            await client.SendAsync(new { type = "join", room = "locked-" + TabClient.NewId()[..8], id = "j1" });
            var error = await client.ExpectAsync("error");
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Equal("The room is locked.", error.GetProperty("message").GetString());
            Assert.Equal("j1", error.GetProperty("ref").GetString());

            await client.JoinAsync(ChatStreams.NewRoom());
        }
    }

    [Fact]
    public async Task AJoinOfARoomTheTabFollowsIsNotAskedAgainNorAfterAReconnect()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tab = TabClient.NewId();
        var (first, _) = await session.OpenAsync("chat", tab);
        await first.JoinAsync(room);
        await first.JoinAsync(room);
        await first.DisposeAsync();

        var (second, welcome) = await session.OpenAsync("chat", tab);
        await using (second)
        {
            Assert.True(welcome.GetProperty("streams").TryGetProperty("room:" + room, out _));
            await second.JoinAsync(room);
            Assert.Equal(1, fixture.Authorizer.JoinsAsked(session.Handle, room));
        }
    }

    [Fact]
    public async Task AFailingJoinRuleAnswersInternalAndHarmsNothingElse()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            await client.SendAsync(new { type = "join", room = "boom-" + TabClient.NewId()[..8] });
            Assert.Equal("internal", (await client.ExpectAsync("error")).GetProperty("code").GetString());
            await client.JoinAsync(ChatStreams.NewRoom());
        }
    }

    [Fact]
    public async Task ADeniedSendIsForbiddenWithItsRefAndIsNeitherPostedNorAcked()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = "readonly-" + TabClient.NewId()[..8];
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            await client.JoinAsync(room);
            await client.SendAsync(new { type = "send", id = "s1", room, text = "hello" });
            var error = await client.NextAsync();
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Equal("The room is read-only.", error.GetProperty("message").GetString());
            Assert.Equal("s1", error.GetProperty("ref").GetString());

            await client.SendAsync(new { type = "history", room });
            var history = await client.NextAsync();
            Assert.Equal("history", history.GetProperty("type").GetString());
            Assert.Empty(history.GetProperty("messages").EnumerateArray());
        }
    }

    [Fact]
    public async Task PipelinedSendsAroundADeniedOneAreAnsweredInTheOrderTheyWereRead()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (open, closed, failing) = (ChatStreams.NewRoom(), "readonly-" + TabClient.NewId()[..8], "sendboom-" + TabClient.NewId()[..8]);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            foreach (var room in new[] { open, closed, failing })
            {
                await client.JoinAsync(room);
            }

            var sends = new[] { ("a1", open), ("d2", closed), ("a3", open), ("f4", failing), ("a5", open) };
            foreach (var (id, room) in sends)
            {
                await client.SendAsync(new { type = "send", id, room, text = id });
            }

            var answers = new List<string>();
            while (answers.Count < sends.Length)
            {
                var frame = await client.ExpectAnyAsync(["ack", "error"]);
                var reference = frame.GetProperty(frame.GetProperty("type").GetString() == "ack" ? "id" : "ref").GetString()!;
                answers.Add(frame.GetProperty("type").GetString() == "ack" ? reference : $"{reference}:{frame.GetProperty("code").GetString()}");
            }

            Assert.Equal(["a1", "d2:forbidden", "a3", "f4:internal", "a5"], answers);
        }
    }

    [Fact]
    public async Task ASlowAuthorizerDelaysItsOwnTabOnly()
    {
        var key = TabClient.NewId()[..12];
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (slow, _) = await session.OpenAsync("chat");
        var (other, _) = await session.OpenAsync("chat");
        await using (slow)
        await using (other)
        {
            await slow.JoinAsync("slow-" + key);
            await slow.SendAsync(new { type = "send", id = "held", room = "slow-" + key, text = "wait" });
            await slow.SendAsync(new { type = "ping" });

            await other.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await other.NextAsync()).GetProperty("type").GetString());
            Assert.False(slow.TryTake(out _));

            // The pong is not held behind the send's ack (nor the room's message): they come in any order.
            fixture.Probe.Gate(key).SetResult();
            string[] answers = ["ack", "pong"];
            var seen = new[] { await slow.ExpectAnyAsync(answers), await slow.ExpectAnyAsync(answers) }.Select(f => f.GetProperty("type").GetString()).Order();
            Assert.Equal(answers, seen);
        }
    }
}
