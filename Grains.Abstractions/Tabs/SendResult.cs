using OrleansTabs.Rooms;

namespace OrleansTabs.Tabs;

/// <summary>
/// The answer to a tab's <c>send</c>: the outcome and, when served, where the message landed; for
/// <see cref="ChatOutcome.RateLimited"/>, when the session's budget has room again.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.SendResult")]
public sealed record SendResult(
    [property: Id(0)] ChatOutcome Outcome,
    [property: Id(1)] PostResult? Post,
    [property: Id(2)] int RetryAfterMs = 0);
