namespace OrleansTabs.Presence;

/// <summary>
/// A change of a room's presence (docs/protocol.md section 6.2): tabs that came (<see cref="Joins"/>) and went
/// (<see cref="Leaves"/>; a tab whose state changed is in both, with its old and its new state), users whose first tab
/// arrived (<see cref="Online"/>) and whose last tab left (<see cref="Offline"/>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PresenceDiff")]
public sealed record PresenceDiff(
    [property: Id(0)] ImmutableArray<PresentTab> Joins,
    [property: Id(1)] ImmutableArray<PresentTab> Leaves,
    [property: Id(2)] ImmutableArray<string> Online,
    [property: Id(3)] ImmutableArray<string> Offline);
