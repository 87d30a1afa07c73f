using OrleansTabs.Presence;

namespace OrleansTabs.Tabs;

/// <summary>
/// The answer to a tab's <c>who</c>: the verdict and, when served, a page of the tabs present in the room, with the
/// cursor of the next page (<see cref="PresencePage.Next"/>) when more follow.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PresenceResult")]
public sealed record PresenceResult(
    [property: Id(3)] FrameVerdict Verdict,
    [property: Id(1)] ImmutableArray<PresentTab> Present,
    [property: Id(2)] string? Next = null);
