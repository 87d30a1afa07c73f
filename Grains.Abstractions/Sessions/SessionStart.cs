namespace OrleansTabs.Sessions;

/// <summary>
/// What a sign-in starts a session with: its user (the identity's stable subject), the display name, the claims the
/// session keeps for the application's hooks, and when the sign-in's own credentials expire (null: they do not say),
/// after which the session keeps none of those claims.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.SessionStart")]
public sealed record SessionStart(
    [property: Id(0)] string User,
    [property: Id(1)] string Name,
    [property: Id(2)] CarriedClaim[] Claims,
    [property: Id(3)] DateTimeOffset? ClaimsExpireAt);

/// <summary>A claim a session keeps from its sign-in (its short type, as <c>sub</c>, <c>name</c>, <c>role</c>).</summary>
[GenerateSerializer, Immutable]
[Alias("ot.CarriedClaim")]
public sealed record CarriedClaim([property: Id(0)] string Type, [property: Id(1)] string Value);
