namespace OrleansTabs.Sessions;

/// <summary>
/// A live session as the HTTP API shows it: its user (the subject), its public handle, its expiry, the display name,
/// and the claims it still keeps (none once its sign-in's credentials have expired).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.SessionInfo")]
public sealed record SessionInfo(
    [property: Id(0)] string User,
    [property: Id(1)] string Session,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string Name,
    [property: Id(4)] CarriedClaim[] Claims);
