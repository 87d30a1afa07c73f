namespace OrleansTabs.Grains.Options;

/// <summary>Room log retention and batching (docs/protocol.md section 5), bound from <c>OrleansTabs:Rooms</c>.</summary>
public sealed class RoomOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Rooms";

    /// <summary>The newest messages kept per room.</summary>
    public int MaxMessages { get; set; } = 1000;

    /// <summary>The age after which a room message is dropped.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a chat post's (tab, client id) is remembered, however many messages follow it: a resend within this time
    /// is acked with the original offset and not posted again. At least the tab retention (a tab resends after a
    /// reconnect within that time); kept in Redis beside the log, written by the same script that appends.
    /// </summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most posts written in one group commit.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// How long a room keeps looking for a front-end that holds member tabs but is not in the front-end directory (after
    /// the room or the directory was reactivated, until the front-end's next lease renewal arrives); messages for it
    /// wait meanwhile. A front-end still missing after this is taken to be gone and its tabs disconnected. Longer than
    /// a front-end's lease, so that only a front-end that missed renewals for a whole lease counts as gone.
    /// </summary>
    public TimeSpan FrontEndResolveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The prefix of every Redis key of the room log.</summary>
    public string KeyPrefix { get; set; } = "orleanstabs";
}
