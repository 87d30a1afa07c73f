namespace OrleansTabs.Grains.Options;

/// <summary>Session lifetime (docs/protocol.md section 5), bound from <c>OrleansTabs:Sessions</c>.</summary>
public sealed class SessionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Sessions";

    /// <summary>Idle time after which a session expires; any activity of the session or its tabs slides it.</summary>
    public TimeSpan SlidingExpiration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Lifetime after which a session expires however active it is.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The longest wait between two checks of a session's deadlines. A session with attached tabs checks at its deadline;
    /// this bounds how late a jump of the wall clock can make that check.
    /// </summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Chat sends per second one session may make over all its tabs and front-ends (docs/protocol.md section 6.4).</summary>
    public double SendsPerSecond { get; set; } = 20;

    /// <summary>How many sends a session may make at once before <see cref="SendsPerSecond"/> applies.</summary>
    public int SendBurst { get; set; } = 40;

    /// <summary>How often a busy tab reports activity to its session (bounds session grain traffic).</summary>
    public TimeSpan ActivityReportInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most distinct tab ids one session may have attached (a tab's chat and dashboard sockets count once); a connect
    /// of one more is refused before the upgrade with 429. A tab stops counting when it closes cleanly or its retention ends.
    /// </summary>
    public int MaxTabsPerSession { get; set; } = 256;

    /// <summary>The most live sessions one user may have; a sign-in beyond it ends the user's oldest session (4501 to its tabs).</summary>
    public int MaxSessionsPerUser { get; set; } = 256;

    /// <summary>
    /// The most pushes a session keeps for its next tab (<c>once</c> pushes while it has no tab connected); one more is
    /// not kept, and its receipt says so (<c>queued: 0</c>).
    /// </summary>
    public int MaxQueuedPushes { get; set; } = 64;

    /// <summary>The most bytes of payload a session keeps for its next tab; a push that would go beyond is not kept, as above.</summary>
    public int QueuedPushBytes { get; set; } = 256 * 1024;
}
