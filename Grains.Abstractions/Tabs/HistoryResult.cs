using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>The answer to a tab's <c>history</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryResult(
    [property: Id(0)] ChatOutcome Outcome,
    [property: Id(1)] ImmutableArray<StreamMessage> Messages);
