using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Workloads;

namespace OrleansTabs.Load;

/// <summary>Runs one workload (or the smoke set) and publishes its tables.</summary>
internal static class LoadCommand
{
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(LoadOptions options, DateTime started, CancellationToken cancellation)
    {
        if (!options.Smoke)
        {
            await Servers.ServerBuilds.PrepareAsync(options.Build, cancellation);
        }

        Console.Error.WriteLine($"{options.Workload}: {Machine.Describe()} (at start: {Machine.StartLoad})");
        var topology = options.Workload == "w4" ? options.Get("--topology", "split") : options.Topology;
        switch (options.Workload)
        {
            case "w2":
                var (table, svg) = await FanOut.RunAsync(options, cancellation);
                ReportWriter.Publish(table, topology, options.CommandLine, started, options.ResultsDirectory, svg);
                return [table];
            case "smoke":
                var tables = await Smoke.RunAsync(options, cancellation);
                foreach (var t in tables)
                {
                    ReportWriter.Publish(t, topology, options.CommandLine, started, null);
                }

                return tables;
            default:
                var result = options.Workload switch
                {
                    "w0" => await ColdStart.RunAsync(options, cancellation),
                    "w1" => await IdleCapacity.RunAsync(options, cancellation),
                    "w3" => await ReconnectStorm.RunAsync(options, cancellation),
                    _ => await LogoutFanOut.RunAsync(options, cancellation),
                };
                ReportWriter.Publish(result, topology, options.CommandLine, started, options.ResultsDirectory);
                return [result];
        }
    }
}
