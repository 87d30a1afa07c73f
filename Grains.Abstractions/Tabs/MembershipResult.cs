using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>The answer to a tab's <c>join</c> or <c>leave</c>: the verdict and, when served, the room stream's head.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.MembershipResult")]
public sealed record MembershipResult(
    [property: Id(2)] FrameVerdict Verdict,
    [property: Id(1)] StreamPosition Head);
