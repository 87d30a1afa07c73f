using System.Net.WebSockets;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>The application's calls (docs/protocol.md, "The application's hooks"): one answer per call id, beside the tab's other frames.</summary>
[Collection(HooksCollection.Name)]
public sealed class CallTests(HooksFixture fixture)
{
    [Fact]
    public async Task ACallIsAnsweredWithTheHandlersResultAndTheTabsContext()
    {
        var token = TestTokens.Mint(new Dictionary<string, object> { ["sub"] = "sub-" + TabClient.NewId(), ["name"] = "Bo", ["team"] = "red" });
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, token);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            await client.SendAsync(new { type = "call", id = "c1", method = "whoami", args = new { ticket = 7 } });
            var result = await client.ExpectAsync("result");

            Assert.Equal("c1", result.GetProperty("ref").GetString());
            var data = result.GetProperty("data");
            Assert.Equal(session.User, data.GetProperty("user").GetString());
            Assert.Equal(session.Handle, data.GetProperty("session").GetString());
            Assert.Equal(client.Tab, data.GetProperty("tab").GetString());
            Assert.Equal("chat", data.GetProperty("channel").GetString());
            Assert.Equal("red", data.GetProperty("team").GetString());
            Assert.Contains(data.GetProperty("claims").EnumerateArray(), c => c.GetProperty("type").GetString() == "sub" && c.GetProperty("value").GetString() == session.User);
            Assert.Equal(7, data.GetProperty("args").GetProperty("ticket").GetInt32());
        }
    }

    [Fact]
    public async Task ACallWithoutArgsAndANullResult()
    {
        await using var client = await OpenAsync();
        await client.SendAsync(new { type = "call", id = "n1", method = "nothing" });
        var result = await client.ExpectAsync("result");
        Assert.Equal("n1", result.GetProperty("ref").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").ValueKind);
    }

    [Theory]
    [InlineData("no.such.method", "unknown_method", "No method 'no.such.method'.")]
    [InlineData("tickets.close", "ticket_closed", "The ticket is closed.")]
    [InlineData("crash", "internal", "The call of 'crash' failed.")]
    [InlineData("bad.code", "internal", "The call of 'bad.code' failed.")]
    [InlineData("big", "too_large", "The result is larger than 65536 bytes.")]
    public async Task ACallThatGetsNoResultIsAnsweredWithAnErrorAndTheSocketKeepsWorking(string method, string code, string message)
    {
        await using var client = await OpenAsync();
        await client.SendAsync(new { type = "call", id = "e1", method });
        var error = await client.ExpectAsync("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal("e1", error.GetProperty("ref").GetString());

        await client.SendAsync(new { type = "call", id = "e2", method = "nothing" });
        Assert.Equal("e2", (await client.ExpectAsync("result")).GetProperty("ref").GetString());
    }

    [Theory]
    [InlineData("""{"type":"call","method":"nothing"}""", "missing_field")]
    [InlineData("""{"type":"call","id":"","method":"nothing"}""", "invalid_field")]
    [InlineData("""{"type":"call","id":7,"method":"nothing"}""", "invalid_field")]
    [InlineData("""{"type":"call","id":"v1"}""", "missing_field")]
    [InlineData("""{"type":"call","id":"v1","method":"has space"}""", "invalid_field")]
    [InlineData("""{"type":"call","id":"v1","method":""}""", "invalid_field")]
    public async Task ABadCallIsRefusedWithTheFieldsError(string frame, string code)
    {
        await using var client = await OpenAsync();
        await client.SendTextAsync(frame);
        Assert.Equal(code, (await client.ExpectAsync("error")).GetProperty("code").GetString());
        Assert.False(client.TryTake(out _));
    }

    [Fact]
    public async Task CallsInFlightTogetherAreEachAnsweredExactlyOnce()
    {
        await using var client = await OpenAsync();
        const int calls = 20;
        for (var i = 0; i < calls; i++)
        {
            // The first call is the slowest: answers come in another order than the calls.
            await client.SendAsync(new { type = "call", id = $"d{i}", method = "delay", args = new { ms = (calls - i) * 10, n = i } });
        }

        var answered = new Dictionary<string, int>();
        for (var i = 0; i < calls; i++)
        {
            var result = await client.ExpectAsync("result");
            answered.Add(result.GetProperty("ref").GetString()!, result.GetProperty("data").GetInt32());
        }

        Assert.Equal(Enumerable.Range(0, calls).ToDictionary(i => $"d{i}", i => i), answered);
        await client.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await client.NextAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task ACallOverTheCallsInFlightIsRateLimitedAndTheOthersAreAnswered()
    {
        var key = TabClient.NewId();
        await using var client = await OpenAsync();
        for (var i = 0; i < HooksFixture.MaxCallsInFlight; i++)
        {
            await client.SendAsync(new { type = "call", id = $"g{i}", method = "gate", args = new { key } });
        }

        await Deadline.UntilAsync(() => fixture.Probe.Started.GetValueOrDefault(key) == HooksFixture.MaxCallsInFlight, "every call waits at the gate");
        await client.SendAsync(new { type = "call", id = "over", method = "gate", args = new { key } });
        var error = await client.ExpectAsync("error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Equal("over", error.GetProperty("ref").GetString());

        fixture.Probe.Gate(key).SetResult();
        var answered = new HashSet<string>();
        while (answered.Count < HooksFixture.MaxCallsInFlight)
        {
            Assert.True(answered.Add((await client.ExpectAsync("result")).GetProperty("ref").GetString()!));
        }
    }

    [Fact]
    public async Task AHandlersTokenIsCancelledWhenTheSocketEnds()
    {
        var key = TabClient.NewId();
        var client = await OpenAsync();
        await client.SendAsync(new { type = "call", id = "w1", method = "gate", args = new { key } });
        await Deadline.UntilAsync(() => fixture.Probe.Started.ContainsKey(key), "the call runs");

        await client.DisposeAsync();

        await fixture.Probe.CancelledOf(key).Task.WaitAsync(Deadline.Default);
    }

    [Fact]
    public async Task ACallOnTheDashboardIsNotAllowed()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (client, _) = await session.OpenAsync("dashboard");
        await using (client)
        {
            await client.SendAsync(new { type = "call", id = "x1", method = "nothing" });
            var error = await client.ExpectAsync("error");
            Assert.Equal("not_allowed", error.GetProperty("code").GetString());
            Assert.Equal("x1", error.GetProperty("ref").GetString());
        }
    }

    [Fact]
    public async Task ACallAfterLogoutClosesWith4501AndRunsNoHandler()
    {
        var key = TabClient.NewId();
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            await session.LogoutAsync();
            try
            {
                await client.SendAsync(new { type = "call", id = "late", method = "gate", args = new { key } });
            }
            catch (WebSocketException)
            {
                // The logout's close came first.
            }

            var (code, _) = await client.ExpectCloseAsync();
            Assert.Equal(4501, code);
            Assert.False(fixture.Probe.Started.ContainsKey(key));
        }
    }

    private async Task<TabClient> OpenAsync()
    {
        var session = await TestSession.SignInAsync(fixture.Server);
        return (await session.OpenAsync("chat")).Client;
    }
}
