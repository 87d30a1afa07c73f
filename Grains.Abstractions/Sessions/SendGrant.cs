namespace OrleansTabs.Sessions;

/// <summary>
/// Sends of the session's budget (docs/protocol.md section 6.4) handed to one tab; none granted: the budget is spent and
/// refills one send in <see cref="RetryAfterMs"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SendGrant(
    [property: Id(0)] int Granted,
    [property: Id(1)] int RetryAfterMs);
