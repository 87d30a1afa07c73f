using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Rooms;

/// <summary>The answer to a room replay: the missed messages, or why it had to reset, and the head.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.RoomReplay")]
public sealed record RoomReplay(
    [property: Id(0)] ImmutableArray<StreamMessage> Messages,
    [property: Id(1)] string? ResetReason,
    [property: Id(2)] StreamPosition Head);
