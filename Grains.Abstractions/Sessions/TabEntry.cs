using OrleansTabs.Tabs;

namespace OrleansTabs.Sessions;

/// <summary>
/// A tab attached to a session: which channel, whether a socket is open, which front-end holds it, when its latest
/// connection started and how the one before ended (docs/protocol.md section 6.5).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.TabEntry")]
public sealed record TabEntry(
    [property: Id(0)] string Tab,
    [property: Id(1)] string Channel,
    [property: Id(2)] bool Connected,
    [property: Id(3)] string? FrontEnd,
    [property: Id(4)] DateTimeOffset ConnectedAt,
    [property: Id(5)] TabClose? LastClose);
