namespace OrleansTabs.Sessions;

/// <summary>
/// Sends of the session's budget (docs/protocol.md section 6.4) handed to one tab; none granted: the budget is spent and
/// refills one send in <see cref="RetryAfterMs"/>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.SendGrant")]
public sealed record SendGrant(
    [property: Id(0)] int Granted,
    [property: Id(1)] int RetryAfterMs)
{
    /// <summary>
    /// How early a send may come back, after waiting the <c>retryAfterMs</c> it was given, and still be taken: a client's
    /// timer may fire up to a tick (a millisecond) before its time, and the send may arrive sooner than the refusal
    /// reached the client. A tab leaves such a send to its session, which lends that fraction of a token.
    /// </summary>
    public static readonly TimeSpan EarlyReturn = TimeSpan.FromMilliseconds(2);
}
