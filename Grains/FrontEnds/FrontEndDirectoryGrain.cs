using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Diagnostics;
using OrleansTabs.Streams;
using OrleansTabs.Topics;

namespace OrleansTabs.Grains.FrontEnds;

/// <summary>
/// The lease table of live front-ends (in memory; front-ends renew every few seconds, so a new activation after a silo
/// loss is complete again within one renewal interval). Once a second it publishes the cluster figures to the
/// <c>cluster</c> topic. Reentrant: every method is synchronous between awaits, and the topic grain calls back in.
/// Leases run on the monotonic clock, and only while the directory itself runs: a directory that was paused (a
/// stop-the-world pause, a frozen VM, a process stopped and continued) extends every lease by the pause instead of
/// taking every front-end for lost, since none of them could have renewed with it meanwhile.
/// </summary>
[Reentrant]
[GrainType("frontenddirectory")]
public sealed partial class FrontEndDirectoryGrain(TimeProvider clock, ILogger<FrontEndDirectoryGrain> logger)
    : Grain, IFrontEndDirectoryGrain
{
    /// <summary>
    /// Longer than this without running, the directory was paused: its one-second timer does not let it idle that long
    /// otherwise (three ticks missed in a row).
    /// </summary>
    public static readonly TimeSpan PauseThreshold = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, Entry> _leases = new(StringComparer.Ordinal);
    private readonly PauseWatch _pauses = new(clock, PauseThreshold);

    /// <summary>
    /// The application's topics seen here, at most <see cref="TopicNames.MaxTopics"/>: the cap is the cluster's, so every
    /// front-end can remember every admitted topic. In memory like the values themselves, which their sources republish.
    /// </summary>
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pauses.Check(TimeSpan.Zero);
        this.RegisterGrainTimer(
            static (grain, _) => grain.PublishClusterFiguresAsync(),
            this,
            new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true, Interleave = true });
        return Task.CompletedTask;
    }

    public Task RenewAsync(string frontEnd, IFrontEndObserver observer, FrontEndStats stats, TimeSpan leaseTime)
    {
        if (!_leases.ContainsKey(frontEnd))
        {
            LogRegistered(logger, frontEnd);
        }

        // A pause that ends with this renewal extends the other leases before anything checks them.
        NoticePause();
        var lease = new FrontEndLease(frontEnd, observer, stats, clock.GetUtcNow() + leaseTime);
        _leases[frontEnd] = new Entry(lease, clock.GetTimestamp() + Ticks(leaseTime));
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string frontEnd)
    {
        if (_leases.Remove(frontEnd))
        {
            LogShutDown(logger, frontEnd);
        }

        return Task.CompletedTask;
    }

    public Task<FrontEndLease[]> GetLiveAsync() => Task.FromResult(Live().ToArray());

    public Task<IFrontEndObserver?> ResolveAsync(string frontEnd)
    {
        Prune();
        return Task.FromResult(_leases.TryGetValue(frontEnd, out var entry) ? entry.Lease.Observer : null);
    }

    public Task<bool> BroadcastAsync(TopicSnapshot snapshot)
    {
        if (snapshot.Topic != StreamNames.ClusterTopic && !_topics.Contains(snapshot.Topic))
        {
            if (_topics.Count >= TopicNames.MaxTopics)
            {
                LogTopicRefused(logger, snapshot.Topic, TopicNames.MaxTopics);
                return Task.FromResult(false);
            }

            _topics.Add(snapshot.Topic);
        }

        foreach (var lease in Live())
        {
            lease.Observer.PublishAsync(snapshot).Ignore();
        }

        return Task.FromResult(true);
    }

    private List<FrontEndLease> Live()
    {
        Prune();
        return [.. _leases.Values.Select(e => e.Lease)];
    }

    private void Prune()
    {
        NoticePause();
        var now = clock.GetTimestamp();
        List<string>? lapsed = null;
        foreach (var (id, entry) in _leases)
        {
            if (entry.Deadline <= now)
            {
                (lapsed ??= []).Add(id);
            }
        }

        foreach (var id in lapsed ?? [])
        {
            _leases.Remove(id);
            LogLapsed(logger, id);

            // One-way: its tabs are marked disconnected without the directory waiting on them.
            GrainFactory.Get<IFrontEndTabsGrain>(id).LostAsync().Ignore();
        }
    }

    /// <summary>If the directory did not run for longer than <see cref="PauseThreshold"/>, every lease gets that much longer.</summary>
    private void NoticePause()
    {
        _pauses.Check(TimeSpan.Zero);
        if (!_pauses.Paused || _leases.Count == 0)
        {
            return;
        }

        var pause = _pauses.LastPause;
        LogPaused(logger, pause, _leases.Count);
        foreach (var (id, entry) in _leases.ToList())
        {
            _leases[id] = new Entry(entry.Lease with { ExpiresAt = entry.Lease.ExpiresAt + pause }, entry.Deadline + Ticks(pause));
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);

    private Task PublishClusterFiguresAsync()
    {
        var live = Live();
        if (live.Count == 0)
        {
            return Task.CompletedTask;
        }

        var figures = new ClusterFigures(
            Sessions: live.Sum(l => l.Stats.Sessions),
            Tabs: new ClusterTabs(live.Sum(l => l.Stats.ChatTabs), live.Sum(l => l.Stats.DashboardTabs)),
            FramesInPerSecond: Math.Round(live.Sum(l => l.Stats.FramesInPerSecond), 1),
            FramesOutPerSecond: Math.Round(live.Sum(l => l.Stats.FramesOutPerSecond), 1),
            FrontEnds: live.Count);
        var json = JsonSerializer.Serialize(figures, ClusterFiguresJson.Default.ClusterFigures);
        return GrainFactory.GetClusterTopic().PublishAsync(json);
    }

    /// <summary>A lease with its deadline on the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    private readonly record struct Entry(FrontEndLease Lease, long Deadline);
}
