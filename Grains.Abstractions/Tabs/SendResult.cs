using OrleansTabs.Rooms;

namespace OrleansTabs.Tabs;

/// <summary>
/// The answer to a tab's <c>send</c>: the verdict (a refusal for a spent session budget carries its
/// <c>retryAfterMs</c>) and, when served, where the message landed.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.SendResult")]
public sealed record SendResult(
    [property: Id(3)] FrameVerdict Verdict,
    [property: Id(1)] PostResult? Post);
