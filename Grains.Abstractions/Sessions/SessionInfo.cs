namespace OrleansTabs.Sessions;

/// <summary>A live session as the HTTP API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionInfo(
    [property: Id(0)] string User,
    [property: Id(1)] string Session,
    [property: Id(2)] DateTimeOffset ExpiresAt);
