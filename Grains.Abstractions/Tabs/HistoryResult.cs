using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>The answer to a tab's <c>history</c>; <see cref="Truncated"/> as in <see cref="Rooms.RoomHistoryPage"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.HistoryResult")]
public sealed record HistoryResult(
    [property: Id(3)] FrameVerdict Verdict,
    [property: Id(1)] ImmutableArray<StreamMessage> Messages,
    [property: Id(2)] bool Truncated = false);
