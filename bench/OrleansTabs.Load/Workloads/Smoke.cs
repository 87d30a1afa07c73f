using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>Tiny W0, W1 and W2 on every server: proves that the bench still runs (it judges no performance figure).</summary>
internal static class Smoke
{
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(LoadOptions options, CancellationToken cancellation)
    {
        // A cold server may stall connects for seconds; smoke only proves the bench runs, so it waits less for them.
        Fleet.ConnectDeadline = TimeSpan.FromSeconds(10);
        var tables = new List<ResultTable>
        {
            await ColdStart.RunAsync(options, cancellation),
            await IdleCapacity.RunAsync(options, cancellation),
            (await FanOut.RunAsync(options, cancellation)).Table,
        };
        return tables;
    }

    /// <summary>Every server, unless <c>--servers</c> says otherwise.</summary>
    public static readonly ServerKind[] AllServers = [ServerKind.OrleansTabs, ServerKind.Kestrel, ServerKind.SignalR, ServerKind.SignalRRedis];
}
