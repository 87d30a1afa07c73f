namespace OrleansTabs.Sessions;

/// <summary>A tab attached to a session: which channel, whether a socket is open, and which front-end holds it.</summary>
[GenerateSerializer, Immutable]
public sealed record TabEntry(
    [property: Id(0)] string Tab,
    [property: Id(1)] string Channel,
    [property: Id(2)] bool Connected,
    [property: Id(3)] string? FrontEnd);
