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

    /// <summary>
    /// How long a tab grain waits for a room's answer to a read (who, history, replay, head), or for its session's answer
    /// to a send lease, before it asks again; one such call takes twice this at most, its attempts included. Below the
    /// front-end's <c>OrleansTabs:Sockets:CallAttemptTimeout</c>, so that a request lost between two silos is asked
    /// again before the front-end gives up on the tab's answer.
    /// </summary>
    public TimeSpan RoomCallAttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
