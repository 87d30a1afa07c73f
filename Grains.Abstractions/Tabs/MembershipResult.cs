using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>The answer to a tab's <c>join</c> or <c>leave</c>: the verdict and, when served, the room stream's head.</summary>
[GenerateSerializer, Immutable]
public sealed record MembershipResult(
    [property: Id(0)] FrameVerdict Verdict,
    [property: Id(1)] StreamPosition Head);
