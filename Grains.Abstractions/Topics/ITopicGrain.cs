using OrleansTabs.FrontEnds;

namespace OrleansTabs.Topics;

/// <summary>A dashboard topic (key: topic name): holds the latest value and forwards every change to the front-ends.</summary>
[Alias("ot.TopicGrain")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>
    /// Replaces the value and pushes it to every live front-end; a repeat of an <paramref name="idempotencyKey"/> this topic
    /// saw within the dedup window is not pushed again. False, and nothing kept or pushed, when this topic is new and the
    /// cluster has <see cref="TopicNames.MaxTopics"/> topics already.
    /// </summary>
    [Alias("Publish")]
    Task<bool> PublishAsync(string dataJson, string? idempotencyKey = null);

    /// <summary>The latest value, or null if nothing was published yet.</summary>
    [Alias("Get")]
    Task<TopicSnapshot?> GetAsync();
}
