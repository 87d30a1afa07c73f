namespace OrleansTabs.Tabs;

/// <summary>
/// What a tab reports of its page (docs/protocol.md section 6.1) and when it was last active, for the delivery modes of
/// pushes: the focused tab, else the most recently active connected one.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.TabActivity")]
public sealed record TabActivity(
    [property: Id(0)] bool Connected,
    [property: Id(1)] bool Visible,
    [property: Id(2)] bool Focused,
    [property: Id(3)] DateTimeOffset FocusedAt,
    [property: Id(4)] DateTimeOffset LastActiveAt);
