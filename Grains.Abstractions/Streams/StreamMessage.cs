namespace OrleansTabs.Streams;

/// <summary>
/// One resumable frame of a stream (<c>tab</c> or <c>room:&lt;name&gt;</c>): a chat message or a pushed payload, with
/// the stream's epoch and the frame's consecutive offset. Wire-independent: front-ends encode it once per message.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StreamMessage(
    [property: Id(0)] string Stream,
    [property: Id(1)] string Epoch,
    [property: Id(2)] long Offset,
    [property: Id(3)] string Id,
    [property: Id(4)] string? ClientId,
    [property: Id(5)] string? FromUser,
    [property: Id(6)] string? FromTab,
    [property: Id(7)] string? Room,
    [property: Id(8)] string? Text,
    [property: Id(9)] string? PayloadJson,
    [property: Id(10)] DateTimeOffset Timestamp);
