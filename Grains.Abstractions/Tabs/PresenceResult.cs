using OrleansTabs.Presence;

namespace OrleansTabs.Tabs;

/// <summary>The answer to a tab's <c>who</c>: the outcome and, when served, every tab present in the room.</summary>
[GenerateSerializer, Immutable]
public sealed record PresenceResult(
    [property: Id(0)] ChatOutcome Outcome,
    [property: Id(1)] ImmutableArray<PresentTab> Present);
