using System.Diagnostics;
using OrleansTabs.Load.Client;

namespace OrleansTabs.Load.Faults;

/// <summary>Scenarios 1, 7 and 8: a session's end closes every one of its tabs with 4501, on either front-end, whatever was lost.</summary>
internal static class SessionScenarios
{
    private const int SessionEnded = 4501;

    /// <summary>docs/protocol.md section 1: every tab of a logged-out session is closed within 1 s.</summary>
    private static readonly TimeSpan LogoutLimit = TimeSpan.FromSeconds(1);

    /// <summary>1: logout through front-end A closes the session's tabs on B (and A) with 4501.</summary>
    public static async Task LogoutAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation)
    {
        await using var traffic = new Traffic(cluster, "s1-r", tabs: 6, roomSize: 6, sessionSize: 6, sendersPerRoom: 0);
        await traffic.ConnectAsync(cancellation);
        var start = Stopwatch.GetTimestamp();
        var status = await traffic.Fleet.Sessions[0].LogoutAsync(cluster.FrontEnds[0], cancellation);
        result.Expect(status == 204, $"POST /auth/logout answered {status}");
        await ExpectEndedAsync(traffic, traffic.Tabs, start, TimeSpan.FromSeconds(10), result, cancellation);
        result.RecoverMeaning = "logout request to the last tab's close";
        result.Expect(result.RecoverSeconds <= LogoutLimit.TotalSeconds, $"the last tab closed {result.RecoverSeconds:F2} s after the logout (limit {LogoutLimit.TotalSeconds:F0} s)");
        result.Notes.Add($"B's tabs closed {string.Join(", ", traffic.On(1).Select(t => $"{Seconds(start, t.ClosedAt) * 1000:F0} ms"))} after the logout through A");
    }

    /// <summary>7: a session left idle past its sliding expiry closes its tabs on both front-ends with 4501.</summary>
    public static async Task ExpiryAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation)
    {
        await using var traffic = new Traffic(cluster, "s7-r", tabs: 4, roomSize: 4, sessionSize: 4, sendersPerRoom: 0);

        // Silent tabs: no pings, so that nothing slides the session (the server's heartbeat timeout is later still).
        await traffic.ConnectAsync(cancellation, heartbeat: false);
        var idleSince = Stopwatch.GetTimestamp();
        var expiry = RigCluster.SlidingExpiration;
        await ExpectEndedAsync(traffic, traffic.Tabs, idleSince, expiry + TimeSpan.FromSeconds(20), result, cancellation);
        result.RecoverMeaning = "last frame to the last tab's close";
        result.Expect(result.RecoverSeconds >= expiry.TotalSeconds - 3, $"closed {result.RecoverSeconds:F1} s after the last frame, before the {expiry.TotalSeconds:F0} s idle expiry");
        result.Expect(result.RecoverSeconds <= expiry.TotalSeconds + 10, $"closed {result.RecoverSeconds:F1} s after the last frame, over 10 s after the {expiry.TotalSeconds:F0} s idle expiry");
    }

    /// <summary>
    /// 8: front-end A is frozen while the session logs out through B, then every silo is killed and restarted (so the
    /// session's silo, and the close push to A with it, is gone); once A runs again, its tabs' next frame closes them
    /// with 4501, and the session's cookie opens nothing.
    /// </summary>
    public static async Task RevocationFencedAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation)
    {
        await using var traffic = new Traffic(cluster, "s8-r", tabs: 4, roomSize: 4, sessionSize: 4, sendersPerRoom: 0);
        await traffic.ConnectAsync(cancellation);
        var web = cluster.Process(cluster.Webs[0]);
        web.Freeze();
        long thawed;
        try
        {
            var status = await traffic.Fleet.Sessions[0].LogoutAsync(cluster.FrontEnds[1], cancellation);
            result.Expect(status == 204, $"POST /auth/logout through B answered {status}");
            var onB = new ScenarioResult(0, "");
            await ExpectEndedAsync(traffic, traffic.On(1), Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(5), onB, cancellation);
            result.Failures.AddRange(onB.Failures.Select(f => "on B: " + f));
            await Task.WhenAll(cluster.Silos.Select(cluster.KillAsync));
            var ready = await cluster.StartAgainAsync(cluster.Silos, cancellation);
            result.Notes.Add($"both silos killed after the logout and ready again after {ready:F1} s");
        }
        finally
        {
            web.Thaw();
            thawed = Stopwatch.GetTimestamp();
        }

        await ExpectEndedAsync(traffic, traffic.On(0), thawed, TimeSpan.FromSeconds(30), result, cancellation);
        result.RecoverMeaning = "SIGCONT of A to the close of its last tab";
        try
        {
            using var socket = await RawWebSocket.ConnectAsync(OrleansTabsWire.Instance.SocketUri(cluster.FrontEnds[0], Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N")),
                traffic.Fleet.Sessions[0].Cookie, cancellation);
            result.Failures.Add("a new tab of the logged-out session was accepted");
        }
        catch (UpgradeRefusedException ex)
        {
            result.Expect(ex.Message.Contains(" 401", StringComparison.Ordinal), "a new tab of the logged-out session was refused with " + ex.Message);
        }

        traffic.Fill(result);
    }

    /// <summary>Waits until every tab of <paramref name="tabs"/> ended; asserts 4501 for each; records the time to the last close.</summary>
    private static async Task ExpectEndedAsync(Traffic traffic, IReadOnlyList<Tab> tabs, long start, TimeSpan deadline, ScenarioResult result, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        while (!tabs.All(traffic.Terminal.ContainsKey) && watch.Elapsed < deadline)
        {
            await Task.Delay(20, cancellation);
        }

        traffic.Fill(result);
        var codes = tabs.Select(t => traffic.Terminal.TryGetValue(t, out var code) ? code : 0).ToList();
        result.Expect(codes.All(c => c == SessionEnded), $"closes: {string.Join(", ", codes.Select(c => c == 0 ? "open" : c.ToString(System.Globalization.CultureInfo.InvariantCulture)))} (every one should be {SessionEnded})");
        if (codes.All(c => c != 0))
        {
            result.RecoverSeconds = Seconds(start, tabs.Max(t => t.ClosedAt));
        }
    }

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
