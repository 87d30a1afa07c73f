namespace OrleansTabs.Presence;

/// <summary>What a tab tells its rooms about itself for presence: its user, its tab id and its page state.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.TabPresence")]
public sealed record TabPresence(
    [property: Id(0)] string User,
    [property: Id(1)] string Tab,
    [property: Id(2)] bool Visible,
    [property: Id(3)] bool Focused,
    [property: Id(4)] string? Name = null);
