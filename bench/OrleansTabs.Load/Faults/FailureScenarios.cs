using System.Diagnostics;
using OrleansTabs.Load.Reporting;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// Scenarios 2-6 and 9 (and 12, DrainScenarios): chat traffic over both front-ends, one infrastructure fault, then every send acked, every acked
/// message delivered once to every member and found in the durable history, and no tab ended.
/// </summary>
internal static class FailureScenarios
{
    /// <summary>Messages per second of each sender (two per room).</summary>
    private const double Rate = 4;

    private static readonly TimeSpan Warm = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoverDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The freeze of scenario 3: longer than the front-end lease (8 s), as a long GC pause or a VM freeze.</summary>
    private static readonly TimeSpan Freeze = TimeSpan.FromSeconds(12);

    /// <summary>A whole deployment restarted on the same Redis must serve again within this.</summary>
    private static readonly TimeSpan RestartLimit = TimeSpan.FromSeconds(30);

    /// <summary>2: kill -9 front-end A during traffic; A's tabs resume on B.</summary>
    public static Task KillFrontEndAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        RunAsync(cluster, result, "s2", async traffic =>
        {
            await cluster.KillAsync(cluster.Webs[0]);
            return Stopwatch.GetTimestamp();
        }, "kill to every tab resumed and every earlier send acked", cancellation);

    /// <summary>3: SIGSTOP front-end A for 12 s during traffic, then SIGCONT; its tabs carry on or reconnect, never end.</summary>
    public static Task FreezeFrontEndAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        RunAsync(cluster, result, "s3", async traffic =>
        {
            var web = cluster.Process(cluster.Webs[0]);
            web.Freeze();
            try
            {
                await Task.Delay(Freeze, cancellation);
            }
            finally
            {
                web.Thaw();
            }

            return Stopwatch.GetTimestamp();
        }, "SIGCONT to every tab ready and every send acked", cancellation);

    /// <summary>
    /// 9: SIGSTOP every silo and front-end at once for 12 s (a frozen host or VM), then SIGCONT: the directory's silo was
    /// paused too, so no front-end is taken for lost and no socket is closed at all.
    /// </summary>
    public static Task FreezeEverythingAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        RunAsync(cluster, result, "s9", async traffic =>
        {
            var processes = cluster.Silos.Concat(cluster.Webs).Select(cluster.Process).ToList();
            processes.ForEach(p => p.Freeze());
            try
            {
                await Task.Delay(Freeze, cancellation);
            }
            finally
            {
                processes.ForEach(p => p.Thaw());
            }

            return Stopwatch.GetTimestamp();
        }, "SIGCONT to every tab ready and every send acked", cancellation, check: traffic =>
            result.Expect(traffic.Closes.Count == 0, $"sockets closed after a freeze of every process: {string.Join(", ", traffic.Closes.GroupBy(c => c).Select(g => $"{g.Count()} x {g.Key}"))}"));

    /// <summary>4: kill -9 the silo that hosts most of the busy room grains.</summary>
    public static Task KillRoomSiloAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        RunAsync(cluster, result, "s4", async traffic =>
        {
            var (silo, rooms) = await cluster.BusiestRoomSiloAsync(cancellation);
            result.Notes.Add($"killed {silo}, which hosted {rooms} room grains");
            await cluster.KillAsync(silo);
            return Stopwatch.GetTimestamp();
        }, "kill to every tab ready and every send acked", cancellation);

    /// <summary>5: restart redis-server (a clean stop, 3 s down, started again on the same data) during traffic.</summary>
    public static Task RestartRedisAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        RunAsync(cluster, result, "s5", async traffic =>
        {
            await cluster.StopAsync("redis");
            await Task.Delay(TimeSpan.FromSeconds(3), cancellation);
            await cluster.StartAgainAsync("redis", cancellation);
            return Stopwatch.GetTimestamp();
        }, "redis back to every tab ready and every send acked", cancellation);

    /// <summary>
    /// 6: kill -9 every silo and front-end, start them all again on the same Redis (with
    /// <see cref="RigCluster.MovedSilos"/>, the silos come back on other ports).
    /// </summary>
    public static Task RestartEverythingAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        RunAsync(cluster, result, "s6", async traffic =>
        {
            var killed = Stopwatch.GetTimestamp();
            var roles = cluster.Silos.Concat(cluster.Webs).ToList();
            await Task.WhenAll(roles.Select(cluster.KillAsync));
            if (cluster.MovedSilos)
            {
                result.Notes.Add("the silos come back on other ports");
                foreach (var silo in cluster.Silos)
                {
                    cluster.MoveSilo(silo);
                }
            }

            var ready = await cluster.StartAgainAsync(roles, cancellation);
            result.Notes.Add($"every silo and front-end ready {ready:F2} s after the restart began");
            result.Expect(ready < RestartLimit.TotalSeconds, $"the restarted deployment was ready after {ready:F1} s (limit {RestartLimit.TotalSeconds:F0} s)");
            return killed;
        }, "kill to every tab resumed and every earlier send acked", cancellation, RestartLimit);

    /// <summary>
    /// Chat traffic on <paramref name="cluster"/>'s front-ends, then <paramref name="fault"/> (which returns when recovery
    /// is timed from), then the recovery and the settle of <see cref="Traffic.SettleAsync"/>.
    /// </summary>
    internal static async Task RunAsync(IFrontEnds cluster, ScenarioResult result, string prefix, Func<Traffic, Task<long>> fault, string recoverMeaning,
        CancellationToken cancellation, TimeSpan? recoverLimit = null, Action<Traffic>? check = null, int tabs = 16)
    {
        await using var traffic = new Traffic(cluster, prefix + "-r", tabs, roomSize: 4, sessionSize: 2, sendersPerRoom: 2);
        await traffic.ConnectAsync(cancellation);
        traffic.StartSending(Rate);
        await Task.Delay(Warm, cancellation);
        var faultAt = Stopwatch.GetTimestamp();
        Progress.Line($"scenario {result.Number}: fault");
        var from = await fault(traffic);
        result.RecoverMeaning = recoverMeaning;
        result.RecoverSeconds = await traffic.WaitRecoveredAsync(from, RecoverDeadline, cancellation);
        result.Expect(!double.IsNaN(result.RecoverSeconds), $"not recovered within {RecoverDeadline.TotalSeconds:F0} s ({traffic.Tabs.Count(t => !t.Ready)} tabs not ready, {traffic.Senders.Unacked} sends not acked; {traffic.NotReadyDetail()})");
        if (recoverLimit is { } limit)
        {
            result.Expect(result.RecoverSeconds < limit.TotalSeconds, $"recovered after {result.RecoverSeconds:F1} s (limit {limit.TotalSeconds:F0} s)");
        }

        await Task.Delay(After, cancellation);
        await traffic.SettleAsync(result, faultAt, cancellation);
        check?.Invoke(traffic);
    }
}
