namespace OrleansTabs;

/// <summary>One present tab of a <see cref="PresentUser"/>: its id, its page state and since when it is present.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.PresentUserTab")]
public sealed record PresentUserTab(
    [property: Id(0)] string Tab,
    [property: Id(1)] TabVisibility Visibility,
    [property: Id(2)] bool Focused,
    [property: Id(3)] DateTimeOffset Since);
