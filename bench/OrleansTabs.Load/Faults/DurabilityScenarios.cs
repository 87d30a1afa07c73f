using System.Diagnostics;
using OrleansTabs.Load.Reporting;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// Scenarios 10-11: an ack is a promise that the send is on disk. Chat traffic, then the processes that hold the data
/// are killed with SIGKILL (no flush, no shutdown) and started again on the same files; every acked send must be in
/// the room's history at its acked offset, and none twice.
/// </summary>
internal static class DurabilityScenarios
{
    /// <summary>Sends made after the silo's kill that must be acked before redis-server is killed.</summary>
    private const int SendsAfterKill = 16;

    /// <summary>10: kill -9 of an all-in-one server (co-hosted silo, embedded Garnet) during traffic, started again on its data directory.</summary>
    public static async Task CrashAllInOneAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation)
    {
        await using var server = await AllInOneRig.StartAsync(cancellation);
        try
        {
            await FailureScenarios.RunAsync(server, result, "s10", async traffic =>
            {
                var watch = Stopwatch.StartNew();
                await server.CrashAndRestartAsync(cancellation);
                result.Notes.Add($"the all-in-one server was killed and ready again on its data directory after {watch.Elapsed.TotalSeconds:F2} s");
                return Stopwatch.GetTimestamp();
            }, "restart to every tab resumed and every earlier send acked", cancellation);
        }
        finally
        {
            server.Keep = !result.Passed;
            if (!result.Passed)
            {
                result.Notes.AddRange(server.Process.Tail(12).Split('\n').Select(line => "log server: " + line));
            }
        }
    }

    /// <summary>
    /// 11: on the split topology, kill -9 of the silo with most room grains during traffic; once every tab is back, kill
    /// -9 of redis-server (appendfsync always), started again at once on the same AOF; then kill -9 of both silos, so
    /// that the history read at the end comes from what Redis recovered.
    /// </summary>
    public static Task CrashSiloThenRedisAsync(RigCluster cluster, ScenarioResult result, CancellationToken cancellation) =>
        FailureScenarios.RunAsync(cluster, result, "s11", async traffic =>
        {
            var (silo, rooms) = await cluster.BusiestRoomSiloAsync(cancellation);
            var killed = Stopwatch.GetTimestamp();
            var before = traffic.Senders.LastSeq;
            await cluster.KillAsync(silo);

            // Recovered means sends made after the kill are acked too, not only the ones before it.
            var sentAfter = await WaitAsync(() => traffic.Senders.LastSeq >= before + SendsAfterKill, TimeSpan.FromSeconds(30), cancellation);
            result.Expect(sentAfter, $"fewer than {SendsAfterKill} sends made within 30 s of the kill of {silo}");
            var back = await traffic.WaitRecoveredAsync(killed, TimeSpan.FromSeconds(60), cancellation);
            result.Expect(!double.IsNaN(back), $"not recovered from the kill of {silo} within 60 s");
            result.Notes.Add($"killed {silo} ({rooms} room grains); every tab ready and every send acked {back:F2} s later");
            Progress.Line($"scenario {result.Number}: kill -9 redis-server");
            await cluster.KillAsync("redis");
            var down = Stopwatch.StartNew();
            await cluster.StartAgainAsync("redis", cancellation);
            result.Notes.Add($"redis-server killed and answering again on its AOF after {down.Elapsed.TotalSeconds:F2} s");
            var restarted = Stopwatch.GetTimestamp();

            // A room that stayed active serves its history from memory: every silo goes, so every room reloads its log
            // from the restarted Redis and the history check reads what the AOF kept.
            await Task.WhenAll(cluster.Silos.Select(cluster.KillAsync));
            var ready = await cluster.StartAgainAsync(cluster.Silos, cancellation);
            result.Notes.Add($"then both silos killed, so that every room reloads its log from Redis; ready again after {ready:F2} s");
            return restarted;
        }, "redis back to every tab ready and every send acked", cancellation);

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan deadline, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(50, cancellation);
        }

        return true;
    }
}
