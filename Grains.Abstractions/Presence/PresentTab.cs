namespace OrleansTabs.Presence;

/// <summary>
/// A tab present in a room (docs/protocol.md section 6.2): a connected member, with its user, its page state and when it
/// became present.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PresentTab")]
public sealed record PresentTab(
    [property: Id(0)] string User,
    [property: Id(1)] string Tab,
    [property: Id(2)] bool Visible,
    [property: Id(3)] bool Focused,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] string? Name = null);
