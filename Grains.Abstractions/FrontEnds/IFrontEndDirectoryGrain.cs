namespace OrleansTabs.FrontEnds;

/// <summary>
/// The cluster's list of live front-ends (singleton, key 0). Front-ends renew a lease every few seconds; a lapsed
/// lease removes the front-end within seconds. State is in memory: after a silo loss the renewals rebuild it.
/// </summary>
[Alias("ot.FrontEndDirectoryGrain")]
public interface IFrontEndDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or renews a front-end's lease for <paramref name="leaseTime"/>.</summary>
    [Alias("Renew")]
    Task RenewAsync(string frontEnd, IFrontEndObserver observer, FrontEndStats stats, TimeSpan leaseTime);

    /// <summary>Drops a front-end that is shutting down.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string frontEnd);

    /// <summary>The front-ends whose lease has not lapsed.</summary>
    [Alias("GetLive")]
    Task<FrontEndLease[]> GetLiveAsync();

    /// <summary>The observer of a live front-end, or null if its lease lapsed.</summary>
    [Alias("Resolve")]
    Task<IFrontEndObserver?> ResolveAsync(string frontEnd);

    /// <summary>
    /// Forwards a topic value to every live front-end. False, and nothing forwarded, for a topic new to the cluster when
    /// it has <see cref="TopicNames.MaxTopics"/> already (the <c>cluster</c> topic is never refused).
    /// </summary>
    [Alias("Broadcast")]
    Task<bool> BroadcastAsync(TopicSnapshot snapshot);
}
