using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Options;
using OrleansTabs.Topics;

namespace OrleansTabs.Grains.Topics;

/// <summary>
/// A latest-value topic. The value lives in memory: topics are republished by their sources (the cluster figures
/// every second), and dashboards never replay a topic, they only need its newest value.
/// </summary>
[GrainType("topic")]
public sealed class TopicGrain(TimeProvider clock, IOptions<RoomOptions> options) : Grain, ITopicGrain
{
    /// <summary>Idempotency keys remembered at most (the oldest are forgotten first).</summary>
    private const int MaxKeys = 1000;

    private readonly Dictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _keyOrder = new();
    private TopicSnapshot? _latest;

    public async Task<bool> PublishAsync(string dataJson, string? idempotencyKey = null)
    {
        if (idempotencyKey is not null && !Remember(idempotencyKey))
        {
            return true;
        }

        var snapshot = new TopicSnapshot(this.GetPrimaryKeyString(), dataJson, clock.GetUtcNow());
        if (!await GrainFactory.GetFrontEndDirectory().BroadcastAsync(snapshot))
        {
            // Refused, so not seen: the same key may come again once the topic has room.
            _keys.Remove(idempotencyKey ?? "");
            return false;
        }

        _latest = snapshot;
        return true;
    }

    public Task<TopicSnapshot?> GetAsync() => Task.FromResult(_latest);

    /// <summary>
    /// Records a key; false if it was seen within the dedup window. In memory like the value itself: a topic carries
    /// only its latest value, so a repeat after a silo loss republishes that value and loses nothing.
    /// </summary>
    private bool Remember(string key)
    {
        var now = clock.GetUtcNow();
        while (_keyOrder.TryPeek(out var oldest) && (now - oldest.At >= options.Value.DedupWindow || _keyOrder.Count >= MaxKeys))
        {
            _keyOrder.Dequeue();
            _keys.Remove(oldest.Key);
        }

        if (!_keys.TryAdd(key, now))
        {
            return false;
        }

        _keyOrder.Enqueue((key, now));
        return true;
    }
}
