using System.Runtime.InteropServices;
using OrleansTabs.Load;
using OrleansTabs.Load.Faults;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Workloads;

// The side-by-side load benchmark: every server runs as its own process, started and stopped here; one load
// generator speaks each server's protocol over raw WebSockets. See bench/README.md.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C unwinds the run, so that every server process is stopped.
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM unwinds the same way, so that the processes this tool started are stopped by their PIDs.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var started = DateTime.Now;
try
{
    if (options.Workload == "faults")
    {
        return await FaultCommand.RunAsync(options, stop.Token);
    }

    // Several workloads run one after another, each with its own servers and report.
    var tables = new List<ResultTable>();
    foreach (var workload in options.Workloads)
    {
        tables.AddRange(await LoadCommand.RunAsync(options.For(workload), started, stop.Token));
    }

    var failures = tables.SelectMany(t => t.Failures).ToList();
    foreach (var failure in failures)
    {
        Console.Error.WriteLine("FAILED: " + failure);
    }

    return failures.Count == 0 ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (Exception ex)
{
    Progress.Line("FAILED: " + ex);
    return 1;
}
