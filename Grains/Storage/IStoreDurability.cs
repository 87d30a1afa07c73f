namespace OrleansTabs.Grains.Storage;

/// <summary>
/// When what the store has answered is durable. OrleansTabs waits on it after every write it acknowledges to a client
/// (grain state, a room log append, its members, a reminder) and before it answers: a Redis with
/// <c>appendfsync always</c> answers a write only once it is on disk, so for it the wait is over at once
/// (the default); a store that answers first and commits after (the embedded Garnet server) completes the wait once
/// its log holds every write it answered before the call.
/// </summary>
public interface IStoreDurability
{
    /// <summary>Completes once every write the store answered before this call is durable.</summary>
    ValueTask WaitAsync(CancellationToken cancellation = default);
}

/// <summary>The store answers a write only once it is durable (a Redis with <c>appendfsync always</c>): nothing to wait for.</summary>
public sealed class AnsweredWhenDurable : IStoreDurability
{
    /// <summary>The one instance.</summary>
    public static readonly AnsweredWhenDurable Instance = new();

    /// <inheritdoc />
    public ValueTask WaitAsync(CancellationToken cancellation = default) => default;
}
