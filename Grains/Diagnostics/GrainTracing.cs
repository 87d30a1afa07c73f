using System.Diagnostics;

namespace OrleansTabs.Grains.Diagnostics;

/// <summary>
/// The grains' activity source (<c>OrleansTabs.Grains</c>): the room's group-commit write and its fan-out. Its
/// activities exist only while a listener samples them, that is when trace export is on.
/// </summary>
public static class GrainTracing
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "OrleansTabs.Grains";

    /// <summary>The source.</summary>
    public static ActivitySource Source { get; } = new(SourceName);
}
