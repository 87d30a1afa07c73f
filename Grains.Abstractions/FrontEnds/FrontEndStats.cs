namespace OrleansTabs.FrontEnds;

/// <summary>What a front-end reports with each lease renewal, for the <c>cluster</c> topic.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.FrontEndStats")]
public sealed record FrontEndStats(
    [property: Id(0)] int ChatTabs,
    [property: Id(1)] int DashboardTabs,
    [property: Id(2)] int Sessions,
    [property: Id(3)] double FramesInPerSecond,
    [property: Id(4)] double FramesOutPerSecond)
{
    /// <summary>A front-end with no sockets.</summary>
    public static FrontEndStats Empty { get; } = new(0, 0, 0, 0, 0);
}
