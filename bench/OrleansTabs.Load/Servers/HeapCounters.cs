using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace OrleansTabs.Load.Servers;

/// <summary>
/// The managed heap size of a server process: the <c>System.Runtime</c> counter <c>gc-heap-size</c>, read over
/// EventPipe (as dotnet-counters does). Null when it cannot be read within a few seconds.
/// </summary>
internal static class HeapCounters
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(6);

    public static async Task<long?> ReadAsync(int pid, CancellationToken cancellation)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, 0, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
            using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, token: cancellation);
            using var source = new EventPipeEventSource(session.EventStream);
            long? heap = null;
            source.Dynamic.All += e =>
            {
                if (heap is null && e.EventName == "EventCounters" && e.PayloadValue(0) is IDictionary<string, object> outer
                    && outer.TryGetValue("Payload", out var inner) && inner is IDictionary<string, object> payload
                    && payload.TryGetValue("Name", out var name) && (string)name == "gc-heap-size")
                {
                    // The counter is in MB (a mean over the interval).
                    heap = (long)(Convert.ToDouble(payload["Mean"], CultureInfo.InvariantCulture) * 1024 * 1024);
                    source.StopProcessing();
                }
            };

            // Process() blocks while it reads the stream: it runs on a thread of its own until the counter arrives.
            var processing = Task.Factory.StartNew(source.Process, cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await Task.WhenAny(processing, Task.Delay(Deadline, cancellation));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await session.StopAsync(stop.Token);
            await processing.WaitAsync(TimeSpan.FromSeconds(3), cancellation);
            return heap;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            return null;
        }
    }
}
