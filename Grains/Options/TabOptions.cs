namespace OrleansTabs.Grains.Options;

/// <summary>Tab lifetime (docs/protocol.md section 5), bound from <c>OrleansTabs:Tabs</c>.</summary>
public sealed class TabOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Tabs";

    /// <summary>How long a disconnected tab keeps its state and <c>tab</c> stream for resume.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most rooms one tab may be a member of; a <c>join</c> beyond it is refused.</summary>
    public int MaxRooms { get; set; } = 100;
}
