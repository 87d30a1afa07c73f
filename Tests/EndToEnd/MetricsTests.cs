using System.Net;
using System.Net.WebSockets;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class MetricsTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task MetricsAreScrapableAndCountFrames()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
        }

        using var http = new HttpClient { BaseAddress = fixture.Web.Management };
        string text = "";
        await Deadline.UntilAsync(
            async () => (text = await http.GetStringAsync("/metrics")).Contains("orleanstabs_frames_in", StringComparison.Ordinal),
            "the frame counters appear in /metrics");
        Assert.Contains("orleanstabs_frames_out", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectedTabsAndSessionsAreGaugesByChannel()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (chat, _) = await session.OpenAsync("chat");
        var (dashboard, _) = await session.OpenAsync("dashboard");
        await using (chat)
        await using (dashboard)
        {
            using var http = new HttpClient { BaseAddress = fixture.Web.Management };
            string text = "";
            await Deadline.UntilAsync(
                async () => PrometheusText.Sum(text = await http.GetStringAsync("/metrics"), "orleanstabs_tabs_connected", "channel=\"dashboard\"") >= 1,
                "a connected dashboard tab is counted");
            Assert.True(PrometheusText.Sum(text, "orleanstabs_tabs_connected", "channel=\"chat\"") >= 1, text);
            Assert.True(PrometheusText.Sum(text, "orleanstabs_sessions_connected") >= 1, text);
        }
    }

    [Fact]
    public async Task SendsAcksResumesResetsAndClosesAreMeasured()
    {
        using var http = new HttpClient { BaseAddress = fixture.Web.Management };
        var before = await http.GetStringAsync("/metrics");
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var tabId = TabClient.NewId();
        var (first, _) = await session.OpenAsync("chat", tabId);
        await first.JoinAsync(room);
        await first.SendChatAsync(room, "m1", "hello");
        await first.CloseAsync();
        await first.DisposeAsync();

        var (second, _) = await session.OpenAsync("chat", tabId);
        await using (second)
        {
            var (frames, _) = await second.ResumeAsync("room:" + room, "not-the-epoch", 0);
            Assert.Contains(frames, f => f.GetProperty("type").GetString() == "reset");
        }

        string after = "";
        await Deadline.UntilAsync(
            async () => Grew(before, after = await http.GetStringAsync("/metrics"), "orleanstabs_stream_resets_total", "reason=\"epoch\""),
            "the epoch reset is counted by reason");
        Assert.True(Grew(before, after, "orleanstabs_send_ack_duration_seconds_count"), after);
        Assert.True(PrometheusText.Sum(after, "orleanstabs_send_ack_duration_seconds_bucket", "le=\"+Inf\"") >= 1, after);
        Assert.True(Grew(before, after, "orleanstabs_room_append_messages_count"), after);
        Assert.True(Grew(before, after, "orleanstabs_room_append_duration_seconds_count"), after);
        Assert.True(Grew(before, after, "orleanstabs_resumes_total"), after);
        Assert.True(Grew(before, after, "orleanstabs_resume_replayed_count"), after);
        Assert.True(Grew(before, after, "orleanstabs_sockets_closed_total", "code=\"1000\""), after);
    }

    [Fact]
    public async Task EverySlowConsumerCloseIsCountedWithItsCode()
    {
        // The counters are fed by the one place every close goes through: a 4013 from any path counts in both.
        using var http = new HttpClient { BaseAddress = fixture.Web.Management };
        var before = await http.GetStringAsync("/metrics");
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var socket = Assert.Single(fixture.Web.Service<OrleansTabs.AspNetCore.FrontEnd.LocalConnections>().All, s => s.User == session.User && s.Address.Tab == tab.Tab);
            socket.Close(OrleansTabs.CloseReason.TooSlow, dropPending: true);
            var (code, _) = await tab.ExpectCloseAsync();
            Assert.Equal(4013, code);
        }

        string after = "";
        await Deadline.UntilAsync(
            async () => Grew(before, after = await http.GetStringAsync("/metrics"), "orleanstabs_sockets_slow_closed_total"),
            "the 4013 close is counted as a slow consumer");
        Assert.True(Grew(before, after, "orleanstabs_sockets_closed_total", "code=\"4013\""), after);
    }

    [Fact]
    public async Task RefusedConnectsAreCountedByReasonWithTheTwo401sApart()
    {
        using var http = new HttpClient { BaseAddress = fixture.Web.Management };
        var before = await http.GetStringAsync("/metrics");
        await Assert.ThrowsAsync<WebSocketException>(() => TabClient.ConnectAsync(fixture.Server, new CookieContainer(), "chat"));

        using var session = await TestSession.SignInAsync(fixture.Server);
        var cookies = new CookieContainer();
        cookies.Add(fixture.Server, session.Cookies.GetCookies(fixture.Server));
        await session.LogoutAsync();
        await Assert.ThrowsAsync<WebSocketException>(() => TabClient.ConnectAsync(fixture.Server, cookies, "chat"));

        string after = "";
        await Deadline.UntilAsync(
            async () => Grew(before, after = await http.GetStringAsync("/metrics"), "orleanstabs_connects_refused_total", "reason=\"session_ended\""),
            "a connect of an ended session is counted as session_ended");
        Assert.True(Grew(before, after, "orleanstabs_connects_refused_total", "reason=\"not_signed_in\""), after);
    }

    private static bool Grew(string before, string after, string metric, params string[] labels) =>
        (PrometheusText.Sum(after, metric, labels) ?? 0) > (PrometheusText.Sum(before, metric, labels) ?? 0);
}
