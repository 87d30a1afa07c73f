using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>The answer to a tab's <c>join</c> or <c>leave</c>: the outcome and the room stream's head.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.MembershipResult")]
public sealed record MembershipResult(
    [property: Id(0)] ChatOutcome Outcome,
    [property: Id(1)] StreamPosition Head);
