namespace OrleansTabs.Sessions;

/// <summary>The answer to <c>GET /auth/me</c>: the session and its attached tabs.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.SessionView")]
public sealed record SessionView(
    [property: Id(0)] SessionInfo Info,
    [property: Id(1)] TabEntry[] Tabs);
