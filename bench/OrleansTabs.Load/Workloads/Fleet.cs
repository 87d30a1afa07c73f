using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;

namespace OrleansTabs.Load.Workloads;

/// <summary>Many tabs: sessions of 10 tabs (one sign-in each), rooms of N tabs, connected with a bounded number in flight.</summary>
internal sealed class Fleet
{
    /// <summary>How long one tab may take to sign in, connect and join (smoke mode shortens it to 10 s).</summary>
    public static TimeSpan ConnectDeadline { get; set; } = TimeSpan.FromSeconds(30);

    public Fleet(IWire wire, int tabs, int roomSize, int sessionSize, TabSink sink, string prefix = "r")
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var sessions = Enumerable.Range(0, (tabs + sessionSize - 1) / sessionSize).Select(s => new TabSession($"load-{run}-{s}")).ToArray();
        Tabs = [.. Enumerable.Range(0, tabs).Select(i => new Tab(wire, sessions[i / sessionSize], prefix + (i / roomSize), i, sink))];
        Sessions = sessions;
    }

    public IReadOnlyList<Tab> Tabs { get; }

    public IReadOnlyList<TabSession> Sessions { get; }

    /// <summary>What a connect phase measured.</summary>
    public sealed record ConnectResult(int Tabs, int Failed, TimeSpan Elapsed, Histogram Latency, int Stalls, string? FirstFailure)
    {
        public double PerSecond => (Tabs - Failed) / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Connects every tab for a workload that measures something else: tabs that failed are tried again, up to
    /// <paramref name="rounds"/> rounds in all (a cold server may stall the first connects).
    /// </summary>
    public async Task<ConnectResult> ConnectAllAsync(Func<Tab, Uri> server, string label, CancellationToken cancellation, int rounds = 3)
    {
        var result = await ConnectAsync(Tabs, server, 50, label, cancellation);
        for (var round = 2; round <= rounds && result.Failed > 0; round++)
        {
            Progress.Line($"{label}: {result.Failed} tabs failed to connect ({result.FirstFailure}); trying them again");
            var failed = Tabs.Where(t => !t.Ready).ToList();
            foreach (var tab in failed)
            {
                tab.Renew();
            }

            var retry = await ConnectAsync(failed, server, 50, label, cancellation);
            result = result with { Failed = retry.Failed, Elapsed = result.Elapsed + retry.Elapsed };
        }

        return result;
    }

    /// <summary>Signs in (once per session) and connects + joins every tab, <paramref name="inFlight"/> at a time.</summary>
    public Task<ConnectResult> ConnectAsync(Func<Tab, Uri> server, int inFlight, string label, CancellationToken cancellation) =>
        ConnectAsync(Tabs, server, inFlight, label, cancellation);

    private static async Task<ConnectResult> ConnectAsync(IReadOnlyList<Tab> tabs, Func<Tab, Uri> server, int inFlight, string label, CancellationToken cancellation)
    {
        var latency = new Histogram();
        var failed = 0;
        var stalls = 0;
        var done = 0;
        string? firstFailure = null;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(tabs, new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancellation }, async (tab, token) =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(ConnectDeadline);
            var stage = "sign-in";
            try
            {
                await tab.Session.SignInAsync(server(tab), deadline.Token);
                var start = Stopwatch.GetTimestamp();
                stage = "upgrade and welcome";
                await tab.ConnectAsync(server(tab), deadline.Token);
                stage = "joined";
                await tab.JoinAsync(deadline.Token);
                var elapsed = Stopwatch.GetElapsedTime(start);
                latency.Record((long)elapsed.TotalMicroseconds);
                if (elapsed > TimeSpan.FromSeconds(5))
                {
                    Interlocked.Increment(ref stalls);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                var why = ex is OperationCanceledException ? $"no {stage} within {ConnectDeadline.TotalSeconds:F0} s" : $"{stage}: {ex.GetType().Name}: {ex.Message}";
                Interlocked.CompareExchange(ref firstFailure, why, null);
                tab.Abort();
            }

            var n = Interlocked.Increment(ref done);
            Progress.Show($"{label}: {n:N0}/{tabs.Count:N0} tabs connected+joined, {n / watch.Elapsed.TotalSeconds:N0}/s, failed {Volatile.Read(ref failed)}");
        });
        return new ConnectResult(tabs.Count, failed, watch.Elapsed, latency, stalls, firstFailure);
    }

    /// <summary>Pings every connected tab every <paramref name="interval"/> (default 15 s, the protocol's heartbeat) until cancelled.</summary>
    public async Task HeartbeatAsync(CancellationToken cancellation, TimeSpan? interval = null)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval ?? TimeSpan.FromSeconds(15), cancellation);
                foreach (var tab in Tabs)
                {
                    await tab.PingAsync(cancellation);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ends every connection at once and waits for the receive loops.</summary>
    public async Task AbortAllAsync()
    {
        foreach (var tab in Tabs)
        {
            tab.Abort();
        }

        await Task.WhenAll(Tabs.Select(t => t.Receiving));
    }
}
