using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace OrleansTabs.Load.Servers;

/// <summary>
/// One <c>System.Runtime</c> counter of a server process, read over EventPipe (as dotnet-counters does). Null when it
/// cannot be read within a few seconds (or the process is not a .NET process, like redis-server).
/// </summary>
internal static class RuntimeCounters
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(6);

    /// <summary>The managed heap size in bytes (<c>gc-heap-size</c>).</summary>
    public static async Task<long?> HeapBytesAsync(int pid, CancellationToken cancellation) =>
        await ReadAsync(pid, "gc-heap-size", cancellation) is { } megabytes ? (long)(megabytes * 1024 * 1024) : null;

    /// <summary>How many methods the JIT has compiled so far, tier-ups included (<c>methods-jitted-count</c>).</summary>
    public static async Task<long?> MethodsJittedAsync(int pid, CancellationToken cancellation) =>
        await ReadAsync(pid, "methods-jitted-count", cancellation) is { } count ? (long)count : null;

    /// <summary>
    /// Has the process run a blocking full (gen 2) collection, as dotnet-gcdump does before it walks the heap: an
    /// EventPipe session with the runtime's GC heap-collect keyword. Completes when the collection has ended; false if
    /// that was not seen within a few seconds.
    /// </summary>
    public static async Task<bool> CollectFullAsync(int pid, CancellationToken cancellation)
    {
        const long gc = 0x1, gcHeapCollect = 0x800000;
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, gc | gcHeapCollect);
        var collected = false;
        var ran = await RunSessionAsync(pid, provider, Deadline * 2, source => source.Clr.GCStop += e =>
        {
            if (e.Depth == 2)
            {
                collected = true;
                source.StopProcessing();
            }
        }, cancellation);
        return ran && collected;
    }

    /// <summary>The managed heap size in bytes right after a blocking full collection: the live heap (null if either failed).</summary>
    public static async Task<long?> LiveHeapBytesAsync(int pid, CancellationToken cancellation) =>
        await CollectFullAsync(pid, cancellation) ? await HeapBytesAsync(pid, cancellation) : null;

    /// <summary>The counter's value (its mean over a 1 s interval).</summary>
    public static async Task<double?> ReadAsync(int pid, string counter, CancellationToken cancellation)
    {
        var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, 0, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
        double? value = null;
        await RunSessionAsync(pid, provider, Deadline, source => source.Dynamic.All += e =>
        {
            if (value is null && e.EventName == "EventCounters" && e.PayloadValue(0) is IDictionary<string, object> outer
                && outer.TryGetValue("Payload", out var inner) && inner is IDictionary<string, object> payload
                && payload.TryGetValue("Name", out var name) && (string)name == counter)
            {
                value = Convert.ToDouble(payload["Mean"], CultureInfo.InvariantCulture);
                source.StopProcessing();
            }
        }, cancellation);
        return value;
    }

    /// <summary>
    /// Runs one EventPipe session with <paramref name="provider"/> until its handlers stop processing or
    /// <paramref name="deadline"/> passes; false if the session could not be run (not a .NET process, or it went away).
    /// </summary>
    private static async Task<bool> RunSessionAsync(int pid, EventPipeProvider provider, TimeSpan deadline, Action<EventPipeEventSource> subscribe, CancellationToken cancellation)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, token: cancellation);
            using var source = new EventPipeEventSource(session.EventStream);
            subscribe(source);

            // Process() blocks while it reads the stream: it runs on a thread of its own until a handler stops it.
            var processing = Task.Factory.StartNew(source.Process, cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await Task.WhenAny(processing, Task.Delay(deadline, cancellation));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await session.StopAsync(stop.Token);
            await processing.WaitAsync(TimeSpan.FromSeconds(3), cancellation);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }
}
