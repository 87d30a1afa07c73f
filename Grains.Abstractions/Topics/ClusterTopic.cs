using OrleansTabs.Streams;

namespace OrleansTabs.Topics;

/// <summary>The one way to reach the <c>cluster</c> topic's grain, the dashboard topic of live cluster figures (<see cref="StreamNames.ClusterTopic"/>).</summary>
public static class ClusterTopic
{
    /// <summary>The grain of the <c>cluster</c> topic.</summary>
    public static ITopicGrain GetClusterTopic(this IGrainFactory grains) => grains.GetGrain<ITopicGrain>(StreamNames.ClusterTopic);
}
