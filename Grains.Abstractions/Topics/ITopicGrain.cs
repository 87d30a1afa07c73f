using OrleansTabs.FrontEnds;

namespace OrleansTabs.Topics;

/// <summary>A dashboard topic (key: topic name): holds the latest value and forwards every change to the front-ends.</summary>
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>Replaces the value and pushes it to every live front-end.</summary>
    Task PublishAsync(string dataJson);

    /// <summary>The latest value, or null if nothing was published yet.</summary>
    Task<TopicSnapshot?> GetAsync();
}
