using OrleansTabs.FrontEnds;
using OrleansTabs.Topics;

namespace OrleansTabs.Grains.Topics;

/// <summary>
/// A latest-value topic. The value lives in memory: topics are republished by their sources (the cluster figures
/// every second), and dashboards never replay a topic, they only need its newest value.
/// </summary>
public sealed class TopicGrain(TimeProvider clock) : Grain, ITopicGrain
{
    private TopicSnapshot? _latest;

    public Task PublishAsync(string dataJson)
    {
        _latest = new TopicSnapshot(this.GetPrimaryKeyString(), dataJson, clock.GetUtcNow());
        return GrainFactory.GetGrain<IFrontEndDirectoryGrain>(0).BroadcastAsync(_latest);
    }

    public Task<TopicSnapshot?> GetAsync() => Task.FromResult(_latest);
}
