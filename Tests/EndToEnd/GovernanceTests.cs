using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>docs/protocol.md section 6 over real sockets: tab state, delivery modes, the audit of closes, sign out everywhere.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class GovernanceTests(AllInOneFixture fixture)
{
    [Theory]
    [InlineData("""{"type":"state","focused":true}""", "missing_field")]
    [InlineData("""{"type":"state","visibility":"visible"}""", "missing_field")]
    [InlineData("""{"type":"state","visibility":"shown","focused":true}""", "invalid_field")]
    [InlineData("""{"type":"state","visibility":"hidden","focused":"yes"}""", "invalid_field")]
    public async Task AStateFrameWithAMissingOrInvalidFieldGetsAnError(string frame, string code)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("dashboard");
        await using (tab)
        {
            await tab.SendTextAsync(frame);
            Assert.Equal(code, (await tab.ExpectAsync("error")).GetProperty("code").GetString());
        }
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("dashboard")]
    public async Task AValidStateFrameIsTakenSilentlyOnBothChannels(string channel)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync(channel);
        await using (tab)
        {
            await tab.SendAsync(new { type = "state", visibility = "hidden", focused = false });
            await tab.SendAsync(new { type = "ping" });

            // Frames are answered in order: a reply to the state frame would come before the pong.
            var next = await tab.ExpectAnyAsync(["pong", "error"]);
            Assert.Equal("pong", next.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task AFocusedPushReachesOnlyTheTabThatReportedFocus()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tabs = new List<TabClient>();
        for (var i = 0; i < 3; i++)
        {
            tabs.Add((await session.OpenAsync("chat")).Client);
        }

        try
        {
            await StateAsync(tabs[1], focused: true);
            await StateAsync(tabs[0], focused: false);

            var answer = await PushAsync(new { target = new { session = session.Handle }, delivery = "focused", payload = new { n = 1 } });
            Assert.Equal((1, 0), answer);
            Assert.Equal(1, Payload(await tabs[1].ExpectAsync("message")));

            // Every tab's own stream is ordered: a tab that got n=1 would see it before n=2.
            await PushAsync(new { target = new { session = session.Handle }, payload = new { n = 2 } });
            Assert.Equal(2, Payload(await tabs[0].ExpectAsync("message")));
            Assert.Equal(2, Payload(await tabs[2].ExpectAsync("message")));
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await tab.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WithNoFocusedTabAFocusedPushGoesToTheMostRecentlyActiveTab()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (quiet, _) = await session.OpenAsync("chat");
        var (active, _) = await session.OpenAsync("dashboard");
        await using (quiet)
        await using (active)
        {
            // The focused tab loses focus: none is focused now.
            await StateAsync(quiet, focused: true);
            await StateAsync(quiet, focused: false);
            await active.SendAsync(new { type = "ping" });
            await active.ExpectAsync("pong");

            Assert.Equal((1, 0), await PushAsync(new { target = new { user = session.User }, delivery = "focused", payload = new { n = 1 } }));
            Assert.Equal(1, Payload(await active.ExpectAsync("message")));
            await PushAsync(new { target = new { session = session.Handle }, payload = new { n = 2 } });
            Assert.Equal(2, Payload(await quiet.ExpectAsync("message")));
        }
    }

    [Fact]
    public async Task AOncePushToASessionWithoutTabsIsQueuedForItsNextTabAlone()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        Assert.Equal((0, 1), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n = 1 } }));
        Assert.Equal((0, 0), await PushAsync(new { target = new { session = session.Handle }, delivery = "focused", payload = new { n = 0 } }));

        var (first, welcome) = await session.OpenAsync("chat");
        await using (first)
        {
            var message = await first.ExpectAsync("message");
            Assert.Equal("tab", message.GetProperty("stream").GetString());
            Assert.Equal(1, Payload(message));
            Assert.Equal(welcome.GetProperty("streams").GetProperty("tab").GetProperty("offset").GetInt64() + 1, message.Offset());

            // Handed over once: the next tab starts with nothing kept; with tabs connected, once goes to one tab now (the
            // most recently active: the one that connected last).
            var (second, _) = await session.OpenAsync("chat");
            await using (second)
            {
                Assert.Equal((1, 0), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n = 2 } }));
                await PushAsync(new { target = new { session = session.Handle }, payload = new { n = 3 } });
                Assert.Equal(2, Payload(await second.ExpectAsync("message")));
                Assert.Equal(3, Payload(await second.ExpectAsync("message")));
                Assert.Equal(3, Payload(await first.ExpectAsync("message")));
            }
        }
    }

    [Fact]
    public async Task ASessionKeepsAtMostItsCapOfPushesAndTheReceiptSaysWhichWereNotKept()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        for (var n = 1; n <= 64; n++)
        {
            Assert.Equal((0, 1), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n } }));
        }

        Assert.Equal((0, 0), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n = 65 } }));

        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            for (var n = 1; n <= 64; n++)
            {
                Assert.Equal(n, Payload(await tab.ExpectAsync("message")));
            }

            // The 65th was not kept: the next frame is the answer to a ping sent after every kept push arrived.
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
        }
    }

    [Fact]
    public async Task ASessionKeepsAtMostItsByteBudgetOfPushes()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var text = new string('x', 60_000);
        for (var n = 1; n <= 4; n++)
        {
            Assert.Equal((0, 1), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n, text } }));
        }

        Assert.Equal((0, 0), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n = 5, text } }));
        Assert.Equal((0, 1), await PushAsync(new { target = new { session = session.Handle }, delivery = "once", payload = new { n = 6 } }));
    }

    [Theory]
    [InlineData("""{"target":{"room":"r1"},"delivery":"once","payload":{}}""")]
    [InlineData("""{"target":{"user":"u"},"delivery":"some","payload":{}}""")]
    [InlineData("""{"target":{"session":"s"},"delivery":3,"payload":{}}""")]
    public async Task ADeliveryModeOutsideAUserOrSessionTargetOrUnknownIs400(string body)
    {
        using var http = PushClient();
        var response = await http.PostAsync("/api/push", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MeShowsWhenEachTabConnectedAndHowItsLastConnectionEnded()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tabId = TabClient.NewId();
        var instance = TabClient.NewId();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var (old, _) = await session.OpenAsync("chat", tabId, instance);
        await using (old)
        {
            var entry = TabOf(await session.MeAsync(), tabId);
            Assert.True(entry.GetProperty("connectedAt").GetDateTimeOffset() >= before);
            Assert.False(entry.TryGetProperty("lastClose", out _));

            // The same page load again (a network blip): the old socket is superseded.
            var (taken, _) = await session.OpenAsync("chat", tabId, instance);
            await using (taken)
            {
                Assert.Equal(4509, (await old.ExpectCloseAsync()).Code);
                var close = TabOf(await session.MeAsync(), tabId).GetProperty("lastClose");
                Assert.Equal(4509, close.GetProperty("code").GetInt32());
                Assert.Equal("superseded", close.GetProperty("reason").GetString());

                // A socket that vanishes without a close handshake.
                taken.Abort();
                JsonElement last = default;
                await Deadline.UntilAsync(async () =>
                {
                    last = TabOf(await session.MeAsync(), tabId);
                    return !last.GetProperty("connected").GetBoolean();
                }, "the vanished socket is seen as closed");
                Assert.Equal(1006, last.GetProperty("lastClose").GetProperty("code").GetInt32());
                Assert.Equal("lost", last.GetProperty("lastClose").GetProperty("reason").GetString());
            }
        }
    }

    [Fact]
    public async Task SignOutEverywhereEndsEverySessionOfTheUserAndNoOneElses()
    {
        var user = "everywhere-" + Guid.NewGuid().ToString("N")[..8];
        using var laptop = await TestSession.SignInAsync(fixture.Server, user);
        using var phone = await TestSession.SignInAsync(fixture.Server, user);
        using var other = await TestSession.SignInAsync(fixture.Server);
        var (a, _) = await laptop.OpenAsync("chat");
        var (b, _) = await phone.OpenAsync("dashboard");
        var (c, _) = await other.OpenAsync("chat");
        await using (a)
        await using (b)
        await using (c)
        {
            var response = await laptop.Http.PostAsync("/auth/logout?scope=user", null);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

            Assert.Equal(4501, (await a.ExpectCloseAsync()).Code);
            Assert.Equal(4501, (await b.ExpectCloseAsync()).Code);
            Assert.Null(await phone.MeAsync());
            Assert.Null(await laptop.MeAsync());

            await c.SendAsync(new { type = "ping" });
            await c.ExpectAsync("pong");
            Assert.NotNull(await other.MeAsync());
        }
    }

    [Fact]
    public async Task AnUnknownLogoutScopeIs400AndEndsNothing()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var response = await session.Http.PostAsync("/auth/logout?scope=planet", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await session.MeAsync());
    }

    private static async Task StateAsync(TabClient tab, bool focused)
    {
        await tab.SendAsync(new { type = "state", visibility = "visible", focused });
        await tab.SendAsync(new { type = "ping" });
        await tab.ExpectAsync("pong");
    }

    private static int Payload(JsonElement message) => message.GetProperty("payload").GetProperty("n").GetInt32();

    private static JsonElement TabOf(JsonElement? me, string tab) =>
        Assert.Single(me!.Value.GetProperty("tabs").EnumerateArray(), t => t.GetProperty("tab").GetString() == tab);

    private async Task<(int Delivered, int Queued)> PushAsync(object body)
    {
        using var http = PushClient();
        var response = await http.PostAsJsonAsync("/api/push", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("delivered").GetInt32(), json.GetProperty("queued").GetInt32());
    }

    private HttpClient PushClient() => TestHosts.PushClient(fixture.Server);
}
