using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansTabs.Load.Client;
using OrleansTabs.Load.Reporting;
using OrleansTabs.Load.Workloads;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// The tabs of one scenario, spread over both front-ends (even tabs on A, odd on B; every session and room has tabs on
/// both), each kept connected the way the bundled client does it: reconnect after any retryable close with backoff
/// to a front-end that answers, <c>resume</c> from the last offset, resend unacked sends with their ids; a terminal
/// close (4500-4999, 1000, 1008, 1009) or a refused upgrade (401) ends the tab.
/// </summary>
internal sealed class Traffic : IAsyncDisposable
{
    /// <summary>The rig's reconnect backoff cap (the bundled client's <c>maxDelayMs</c> option).</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan ReconnectDeadline = TimeSpan.FromSeconds(90);

    private readonly IFrontEnds _cluster;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _sending = new();
    private readonly ConcurrentDictionary<Tab, int> _terminal = new();
    private readonly ConcurrentDictionary<Tab, string> _lastFailure = new();
    private readonly ConcurrentQueue<int> _closes = new();
    private readonly ConcurrentQueue<Reconnection> _reconnections = new();
    private readonly List<Task> _loops = [];
    private Task _senderLoop = Task.CompletedTask;

    public Traffic(IFrontEnds cluster, string prefix, int tabs, int roomSize, int sessionSize, int sendersPerRoom)
    {
        _cluster = cluster;
        Sink = new ReconnectSink(tabs);
        Fleet = new Fleet(OrleansTabsWire.Instance, tabs, roomSize, sessionSize, Sink, prefix);
        Senders = new Senders([.. Fleet.Tabs.Where(t => t.Index % roomSize < sendersPerRoom)], Sink);
    }

    public Fleet Fleet { get; }

    public ReconnectSink Sink { get; }

    public Senders Senders { get; }

    public IReadOnlyList<Tab> Tabs => Fleet.Tabs;

    /// <summary>The tabs that started on front-end <paramref name="index"/> (0: A, 1: B).</summary>
    public IReadOnlyList<Tab> On(int index) => [.. Tabs.Where(t => t.Index % 2 == index)];

    /// <summary>Tabs that got a terminal close (or a refused reconnect), with the code (401 for a refused upgrade).</summary>
    public IReadOnlyDictionary<Tab, int> Terminal => _terminal;

    /// <summary>Every close code the tabs' sockets got, retryable ones included, in arrival order.</summary>
    public IReadOnlyCollection<int> Closes => _closes;

    /// <summary>Every retryable close a tab got and when it was connected again, in the order of the closes.</summary>
    public IReadOnlyCollection<Reconnection> Reconnections => _reconnections;

    /// <summary>The rooms the tabs are in.</summary>
    public IReadOnlyList<string> Rooms => [.. Tabs.Select(t => t.Room).Distinct()];

    /// <summary>Signs in and connects every tab (each joins its room), then keeps each connected and pings every 5 s.</summary>
    public async Task ConnectAsync(CancellationToken cancellation, bool heartbeat = true)
    {
        var connect = await Fleet.ConnectAllAsync(t => _cluster.FrontEnds[t.Index % 2], "faults connect", cancellation, rounds: 1);
        if (connect.Failed > 0)
        {
            throw new InvalidOperationException($"{connect.Failed} of {Tabs.Count} tabs did not connect ({connect.FirstFailure}).");
        }

        _loops.AddRange(Tabs.Select(KeepConnectedAsync));
        if (heartbeat)
        {
            _loops.Add(Fleet.HeartbeatAsync(_stop.Token, TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>Starts the senders (each at <paramref name="rate"/> messages per second).</summary>
    public void StartSending(double rate) => _senderLoop = Senders.RunAsync(rate, _sending.Token);

    /// <summary>Stops new sends (resends go on through <see cref="SettleAsync"/>).</summary>
    public async Task StopSendingAsync()
    {
        await _sending.CancelAsync();
        await _senderLoop;
    }

    /// <summary>Why the tabs that are not ready are not: the close code and the last failed reconnect, for a report.</summary>
    public string NotReadyDetail() => string.Join("; ", Tabs.Where(t => !t.Ready && !_terminal.ContainsKey(t)).Take(4)
        .Select(t => $"tab {t.Index} (closed {t.CloseCode}, {t.Generation} connects): {_lastFailure.GetValueOrDefault(t, "no failed reconnect")}"));

    /// <summary>Whether every tab that has not ended is connected and joined or resumed.</summary>
    public bool AllReady => Tabs.All(t => t.Ready || _terminal.ContainsKey(t));

    /// <summary>
    /// Waits until every tab is ready again and every send made so far is acked; returns the seconds since
    /// <paramref name="from"/> (Stopwatch ticks), or NaN at the deadline.
    /// </summary>
    public async Task<double> WaitRecoveredAsync(long from, TimeSpan deadline, CancellationToken cancellation)
    {
        var mark = Senders.LastSeq;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < deadline)
        {
            if (AllReady && Senders.UnackedUpTo(mark) == 0)
            {
                return Stopwatch.GetElapsedTime(from).TotalSeconds;
            }

            Progress.Show($"faults: {Tabs.Count(t => t.Ready)}/{Tabs.Count} tabs ready, {Senders.UnackedUpTo(mark)} sends waiting for an ack");
            await Task.Delay(100, cancellation);
        }

        return double.NaN;
    }

    /// <summary>
    /// Ends a traffic scenario: stops sending, resends until every send is acked, waits until every member has every
    /// acked message, and fills in the result's figures and assertions (nothing acked lost or duplicated, no terminal
    /// close, every tab at the head of its room, every ack in the durable history).
    /// </summary>
    public async Task SettleAsync(ScenarioResult result, long faultAt, CancellationToken cancellation)
    {
        await StopSendingAsync();
        await Senders.ResendUntilAckedAsync(TimeSpan.FromSeconds(30), cancellation);
        var (lost, missing, detail) = await Sink.DrainAsync(Tabs, faultAt, TimeSpan.FromSeconds(30), "faults", cancellation);
        var history = await HistoryCheck.RunAsync(_cluster.LiveFrontEnds, Sink, Rooms, cancellation);
        Fill(result);
        result.Lost = lost + history.NotDurable;
        result.Expect(Senders.Unacked == 0, $"{Senders.Unacked} sends never acked");
        result.Expect(lost == 0, $"{lost} acked messages missing at some member ({missing} deliveries). {detail}");
        result.Expect(history.NotDurable == 0, $"{history.NotDurable} acks not in the durable history (first: {history.FirstProblem})");
        result.Expect(Sink.Duplicates + Sink.Reposted == 0, $"{Sink.Duplicates} duplicated deliveries, {Sink.Reposted} messages posted twice");
        result.Expect(Sink.AckConflicts == 0, $"{Sink.AckConflicts} sends acked at two offsets");
        result.Expect(Sink.Resets == 0, $"{Sink.Resets} streams reset (nothing here is past retention)");
        result.Expect(_terminal.IsEmpty, $"terminal closes: {string.Join(", ", _terminal.Values.GroupBy(c => c).Select(g => $"{g.Count()} x {g.Key}"))}");
        var behind = Tabs.Count(t => !_terminal.ContainsKey(t) && t.LastOffset < history.Heads.GetValueOrDefault(t.Room));
        result.Expect(behind == 0, $"{behind} tabs not at the head of their room");
        result.Notes.Add($"{Sink.Errors} error frames{(Sink.FirstError is { } e ? ", first: " + e : "")}");
    }

    /// <summary>Copies the counts into the result.</summary>
    public void Fill(ScenarioResult result)
    {
        result.Tabs = Tabs.Count;
        result.Sent = Senders.Sent;
        result.Acked = Sink.Acked.Values.Sum(r => r.Count);
        result.Delivered = Sink.Delivered;
        result.Duplicated = Sink.Duplicates + Sink.Reposted;
        result.TerminalCloses = _terminal.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _sending.CancelAsync();
        await _stop.CancelAsync();
        await _senderLoop;
        await Fleet.AbortAllAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
        _sending.Dispose();
    }

    /// <summary>The close codes after which the bundled client does not reconnect on its own.</summary>
    public static bool IsTerminal(int code) => code is (>= 4500 and <= 4999) or 1000 or 1002 or 1003 or 1007 or 1008 or 1009 or 1010 or 1015;

    private async Task KeepConnectedAsync(Tab tab)
    {
        var at = tab.Index % 2;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var code = await tab.Closed.WaitAsync(_stop.Token);
                var closedAt = Stopwatch.GetTimestamp();
                _closes.Enqueue(code);
                if (IsTerminal(code))
                {
                    _terminal[tab] = code;
                    return;
                }

                // Attempt n goes to the other front-end first, then alternates (a proxy would pick one that answers).
                var from = at;
                await Reconnect.WithBackoffAsync(tab, n => _cluster.FrontEnds[at = (from + 1 + n) % 2], false, MaxDelay, ReconnectDeadline, _stop.Token,
                    ex => _lastFailure[tab] = $"{ex.GetType().Name}: {ex.Message}");
                _reconnections.Enqueue(new Reconnection(tab.Index, from, code, closedAt, tab.Ready ? Stopwatch.GetTimestamp() : null));
            }
        }
        catch (UpgradeRefusedException)
        {
            _terminal[tab] = 401;
        }
        catch (ClosedBeforeException ex)
        {
            _terminal[tab] = ex.Code;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// A tab's retryable close and its reconnect: the tab's index, the front-end it was on (0: A, 1: B), the close code, and
/// the Stopwatch timestamps of the close and of the resume (null if it never resumed).
/// </summary>
internal sealed record Reconnection(int Tab, int From, int Code, long ClosedAt, long? ResumedAt);
