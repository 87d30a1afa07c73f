using Microsoft.Extensions.Options;
using OrleansTabs.Sessions;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// How a stopping front-end lets go of its tabs: first it stops being ready (<see cref="DrainHealthCheck"/>) and refuses
/// new upgrades (503), then it closes its open sockets with 1001 (going away, reconnect at once with resume) one after
/// another, spread evenly over <see cref="FrontEndOptions.DrainWindow"/>, so that the other front-ends take its tabs
/// over gradually instead of in one wave.
/// </summary>
internal sealed partial class FrontEndDrain(
    IGrainFactory grains,
    LocalConnections connections,
    IOptions<FrontEndOptions> frontEndOptions,
    IOptions<SocketOptions> socketOptions,
    TimeProvider clock,
    ILogger<FrontEndDrain> logger)
{
    /// <summary>
    /// Closes closer together than this go out together: a timer per socket would cost more than it spreads.
    /// </summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    private int _draining;

    /// <summary>Whether the drain has begun: readiness is false and new sockets are refused from then on.</summary>
    public bool Draining => Volatile.Read(ref _draining) == 1;

    /// <summary>Marks the front-end as draining (idempotent); closes nothing yet.</summary>
    public void Begin()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 0)
        {
            LogDrainBegins(logger, frontEndOptions.Value.DrainWindow);
        }
    }

    /// <summary>
    /// Drains: closes every open socket with 1001 over the window, then waits (up to the close timeout) until they have
    /// ended. Should <paramref name="cancellationToken"/> (the host's shutdown timeout) fire first, the rest are closed
    /// at once.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Begin();
        var sockets = connections.All.Where(s => s.CloseCode is null).ToList();
        try
        {
            await SpreadAsync(sockets, static s => s.Close(CloseReason.GoingAway), frontEndOptions.Value.DrainWindow, clock, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // What the window did not reach (its shutdown cut short, a socket that connected as the drain began) goes now.
        CloseAll();
        await WaitEndedAsync(socketOptions.Value.CloseTimeout, cancellationToken);
        await SettleAsync(sockets, socketOptions.Value.CloseTimeout, cancellationToken);
        LogDrained(logger, sockets.Count);
    }

    /// <summary>
    /// Waits (for at most <paramref name="limit"/>) until the sessions of the drained sockets have recorded their tabs'
    /// detaches. A tab grain passes its socket's end on to its session one-way, so those detaches may still be queued
    /// when the sockets are gone; a silo that stops meanwhile (the co-hosted one of an all-in-one server) would find
    /// them queued at activations it deactivates, with nowhere to send them. A session takes one call at a time, so a
    /// read queued behind them returns once they are recorded.
    /// </summary>
    private async Task SettleAsync(List<TabSocket> sockets, TimeSpan limit, CancellationToken cancellationToken)
    {
        var sessions = sockets.Select(s => s.Address.Session).Distinct(StringComparer.Ordinal)
            .Select(session => grains.Get<ISessionGrain>(session).GetTabsAsync());
        try
        {
            await Task.WhenAll(sessions).WaitAsync(limit, clock, cancellationToken);
        }
        catch (Exception ex)
        {
            // Nothing depends on the answers: past the limit (or a failed read) the host stops as it would have.
            LogSettleIncomplete(logger, ex);
        }
    }

    /// <summary>Closes every socket still open with 1001 at once.</summary>
    public void CloseAll()
    {
        foreach (var socket in connections.All)
        {
            socket.Close(CloseReason.GoingAway);
        }
    }

    /// <summary>Waits until no socket is held here, for at most <paramref name="limit"/>.</summary>
    public async Task WaitEndedAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = clock.GetTimestamp();
        try
        {
            while (!connections.IsEmpty && clock.GetElapsedTime(start) < limit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Applies <paramref name="close"/> to each of <paramref name="items"/> in turn, the i-th of n at i/n of
    /// <paramref name="window"/> after the start: the first at once, the last one n-th of the window before its end.
    /// </summary>
    internal static async Task SpreadAsync<T>(IReadOnlyList<T> items, Action<T> close, TimeSpan window, TimeProvider clock, CancellationToken cancellationToken)
    {
        var start = clock.GetTimestamp();
        for (var i = 0; i < items.Count; i++)
        {
            var wait = window * ((double)i / items.Count) - clock.GetElapsedTime(start);
            if (wait >= Step)
            {
                await Task.Delay(wait, clock, cancellationToken);
            }

            close(items[i]);
        }
    }
}
