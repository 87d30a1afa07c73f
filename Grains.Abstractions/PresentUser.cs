namespace OrleansTabs;

/// <summary>
/// A user present in a room (docs/protocol.md section 6.2): at least one of its tabs is a connected member. <see cref="User"/>
/// is the subject, <see cref="Name"/> the display name (the subject if it has none).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PresentUser")]
public sealed record PresentUser(
    [property: Id(0)] string User,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<PresentUserTab> Tabs);
