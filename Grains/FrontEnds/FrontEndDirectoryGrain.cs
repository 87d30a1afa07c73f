using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansTabs.FrontEnds;
using OrleansTabs.Streams;
using OrleansTabs.Topics;

namespace OrleansTabs.Grains.FrontEnds;

/// <summary>
/// The lease table of live front-ends (in memory; front-ends renew every few seconds, so a new activation after a silo
/// loss is complete again within one renewal interval). Once a second it publishes the cluster figures to the
/// <c>cluster</c> topic. Reentrant: every method is synchronous between awaits, and the topic grain calls back in.
/// </summary>
[Reentrant]
public sealed partial class FrontEndDirectoryGrain(TimeProvider clock, ILogger<FrontEndDirectoryGrain> logger)
    : Grain, IFrontEndDirectoryGrain
{
    private readonly Dictionary<string, FrontEndLease> _leases = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
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

        _leases[frontEnd] = new FrontEndLease(frontEnd, observer, stats, clock.GetUtcNow() + leaseTime);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string frontEnd)
    {
        if (_leases.Remove(frontEnd))
        {
            LogRemoved(logger, frontEnd, "shut down");
        }

        return Task.CompletedTask;
    }

    public Task<FrontEndLease[]> GetLiveAsync() => Task.FromResult(Live().ToArray());

    public Task<IFrontEndObserver?> ResolveAsync(string frontEnd)
    {
        Prune();
        return Task.FromResult(_leases.TryGetValue(frontEnd, out var lease) ? lease.Observer : null);
    }

    public Task BroadcastAsync(TopicSnapshot snapshot)
    {
        foreach (var lease in Live())
        {
            lease.Observer.PublishAsync(snapshot).Ignore();
        }

        return Task.CompletedTask;
    }

    private List<FrontEndLease> Live()
    {
        Prune();
        return [.. _leases.Values];
    }

    private void Prune()
    {
        var now = clock.GetUtcNow();
        List<string>? lapsed = null;
        foreach (var (id, lease) in _leases)
        {
            if (lease.ExpiresAt <= now)
            {
                (lapsed ??= []).Add(id);
            }
        }

        foreach (var id in lapsed ?? [])
        {
            _leases.Remove(id);
            LogRemoved(logger, id, "lease lapsed");

            // One-way: its tabs are marked disconnected without the directory waiting on them.
            GrainFactory.Get<IFrontEndTabsGrain>(id).LostAsync().Ignore();
        }
    }

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
        return GrainFactory.Get<ITopicGrain>(StreamNames.ClusterTopic).PublishAsync(json);
    }
}
