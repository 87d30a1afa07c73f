using OrleansTabs.Grains.Hosting;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Rooms;
using OrleansTabs.Web.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Bench;

/// <summary>
/// The room log's append alone: one room, one batch at a time (as a room's group commit writes them), on an embedded
/// Garnet with its AOF on, as the all-in-one server runs it. Reports the time and the process CPU per append for each
/// batch size, and the same for a PING, the floor of any Redis round trip here. Ids leave the dedup window after a
/// second, so a steady state of trimming is measured too.
/// </summary>
internal static class AppendBench
{
    /// <summary>
    /// Short, so that ids fall out of the window while the benchmark runs and appends trim them, as in a room that has
    /// been busy for longer than the default window of 2 minutes.
    /// </summary>
    private static readonly TimeSpan DedupWindow = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(int[] batchSizes, int appends)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleanstabs-append-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var garnet = EmbeddedRedis.Start(0, directory);
            await using var connection = new RedisConnection(OrleansTabsSiloExtensions.RedisConfiguration(garnet.ConnectionString));
            await connection.OpenAsync();
            var redis = connection.Multiplexer;
            var log = new RedisRoomLog(connection, garnet, Options.Create(new RoomOptions { DedupWindow = DedupWindow }), Options.Create(new ClusterOptions { ServiceId = "append-bench" }), TimeProvider.System);
            var db = redis.GetDatabase();
            Report("PING (round trip floor)", await MeasureAsync(appends, () => db.PingAsync()));
            foreach (var size in batchSizes)
            {
                var room = $"append-{size}";
                var head = 0L;
                Report($"append, batch of {size}", await MeasureAsync(appends, async () =>
                {
                    var batch = new List<StoredMessage>(size);
                    for (var i = 0; i < size; i++)
                    {
                        batch.Add(StoredMessage.Chat($"s/t{i}/chat", Guid.NewGuid().ToString("N"), "user", $"t{i}", "a chat message of a typical length", DateTimeOffset.UtcNow));
                    }

                    if ((await log.AppendAsync(room, "epoch", head, batch, keep: 1000)).Count > 0)
                    {
                        throw new InvalidOperationException("a fresh id was taken for a resend");
                    }

                    head += size;
                }));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(double Micros, double CpuMicros)> MeasureAsync(int count, Func<Task> operation)
    {
        // A warm-up of the same length, so the code is compiled and the log is full (every append also trims).
        for (var i = 0; i < count; i++)
        {
            await operation();
        }

        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await operation();
        }

        process.Refresh();
        return (clock.Elapsed.TotalMicroseconds / count, (process.TotalProcessorTime - cpu).TotalMicroseconds / count);
    }

    private static void Report(string name, (double Micros, double CpuMicros) result) =>
        Console.WriteLine($"{name,-26}: {result.Micros,6:F0} us each, {result.CpuMicros,6:F0} us of CPU each");
}
