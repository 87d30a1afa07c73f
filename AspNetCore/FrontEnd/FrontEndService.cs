using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Diagnostics;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// Keeps this front-end registered in the cluster and its sockets honest: renews the front-end's lease (with its
/// figures) every <see cref="FrontEndOptions.LeaseRenewInterval"/>, closes silent sockets with 4008, and on shutdown
/// drains (<see cref="FrontEndDrain"/>) while every other service of the host still runs: the host calls every
/// <see cref="IHostedLifecycleService.StoppingAsync"/> before any service's <c>StopAsync</c>, so Kestrel still answers
/// (503 to a new upgrade, readiness false) and the cluster connection still carries the tabs' disconnects.
/// </summary>
internal sealed partial class FrontEndService(
    IGrainFactory grains,
    LocalConnections connections,
    FrontEndObserver observer,
    FrontEndMetrics metrics,
    FrontEndDrain drain,
    IOptions<FrontEndOptions> frontEndOptions,
    IOptions<SocketOptions> socketOptions,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<FrontEndService> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly FrontEndOptions _options = frontEndOptions.Value;
    private IFrontEndObserver? _reference;
    private long _lastIn;
    private long _lastOut;
    private long _lastRenewal;

    /// <summary>Sweeps come once a second at most: three seconds between two is a pause of the process.</summary>
    private readonly PauseWatch _pauses = new(clock, TimeSpan.FromSeconds(3));

    /// <summary>This process's front-end id: unique per process start.</summary>
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(6).ToLowerInvariant()}";

    /// <summary>The observer reference grains use to reach this front-end.</summary>
    public IFrontEndObserver Reference => _reference ?? throw new InvalidOperationException("The front-end has not started.");

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The reference is held weakly by Orleans; this service keeps the observer alive for the process lifetime.
        _reference = grains.CreateObjectReference<IFrontEndObserver>(observer);
        // Readiness goes false the moment stopping is asked for (SIGTERM), before any service is told to stop.
        lifetime.ApplicationStopping.Register(drain.Begin);
        _lastRenewal = clock.GetTimestamp();
        await RenewAsync(Timeout.InfiniteTimeSpan);
        await base.StartAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => drain.RunAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The drain has closed them; a socket that slipped in past it goes now.
        drain.CloseAll();
        await drain.WaitEndedAsync(socketOptions.Value.CloseTimeout, cancellationToken);

        try
        {
            await grains.GetFrontEndDirectory().RemoveAsync(Id).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex)
        {
            LogRenewFailed(logger, ex, Id);
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = socketOptions.Value.Heartbeat;
        var tick = heartbeat / 2 < TimeSpan.FromSeconds(1) ? heartbeat / 2 : TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!PausedRecently(heartbeat))
                {
                    Sweep(heartbeat * 2, socketOptions.Value);
                }

                if (clock.GetElapsedTime(_lastRenewal) >= _options.LeaseRenewInterval)
                {
                    await RenewAsync(_options.LeaseRenewInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Whether the process was paused less than a heartbeat ago. A pause makes every socket look silent, every pending
    /// write stalled and every ping unanswered, though no peer did anything wrong: their frames wait in the sockets'
    /// buffers. So for one heartbeat after it (in which every live client speaks) the sweep judges no socket.
    /// </summary>
    private bool PausedRecently(TimeSpan heartbeat)
    {
        var grace = _pauses.Check(heartbeat);
        if (_pauses.Paused)
        {
            LogPaused(logger, Id, _pauses.LastPause, heartbeat);
        }

        return grace;
    }

    /// <summary>
    /// Closes sockets silent for longer than <paramref name="silence"/> (4008), aborts those whose write has hung for
    /// longer than the write timeout, closes those whose send queue fell further behind than its delay bound (4013),
    /// and keeps the others alive with WebSocket pings (one sweep for every socket, instead of a keep-alive timer per
    /// socket, and no time taken per queued frame).
    /// </summary>
    private void Sweep(TimeSpan silence, SocketOptions options)
    {
        foreach (var socket in connections.All)
        {
            if (socket.WriteStalled(options.WriteTimeout))
            {
                socket.AbortStalledWrite();
            }
            else if (socket.SendQueueBehind(options.SendQueueMaxDelay))
            {
                socket.CloseBehind();
            }
            else if (socket.Idle > silence)
            {
                socket.Close(CloseReason.HeartbeatTimeout);
            }
            else
            {
                socket.KeepAlive(options.KeepAliveInterval, options.KeepAliveTimeout);
            }
        }
    }

    /// <summary>Renews the lease, waiting at most <paramref name="wait"/> for the directory's answer.</summary>
    private async Task RenewAsync(TimeSpan wait)
    {
        var elapsed = clock.GetElapsedTime(_lastRenewal).TotalSeconds;
        _lastRenewal = clock.GetTimestamp();
        long framesIn = metrics.FramesIn, framesOut = metrics.FramesOut;
        var rateIn = elapsed > 0 ? (framesIn - _lastIn) / elapsed : 0;
        var rateOut = elapsed > 0 ? (framesOut - _lastOut) / elapsed : 0;
        _lastIn = framesIn;
        _lastOut = framesOut;
        try
        {
            // A renewal sent to a silo just as it died is answered only by the response timeout (longer than the
            // lease): the periodic renewal stops waiting after one interval, so the next tick renews through a live
            // silo before the lease lapses. (The first one, at start-up, waits as long as it takes.)
            await grains.GetFrontEndDirectory().RenewAsync(Id, Reference, connections.Count(rateIn, rateOut), _options.LeaseTime)
                .WaitAsync(wait, clock);
        }
        catch (Exception ex)
        {
            // The cluster may be briefly unreachable (a silo failing over); the next tick tries again.
            LogRenewFailed(logger, ex, Id);
        }
    }
}
