namespace OrleansTabs.Tabs;

/// <summary>Whether the socket that sent a frame may go on (fencing on every inbound frame).</summary>
[Alias("ot.FrameVerdict")]
public enum FrameVerdict
{
    /// <summary>The socket is the tab's current connection of a live session.</summary>
    Ok = 0,

    /// <summary>The session ended: close with 4501.</summary>
    SessionEnded = 1,

    /// <summary>A newer connection took the tab over: close with 4509.</summary>
    Superseded = 2,

    /// <summary>
    /// The tab no longer knows this socket (its front-end was given up for lost, or the tab's state expired) and no other
    /// connection holds it: close with a retryable code, so the client reconnects and resumes.
    /// </summary>
    Detached = 3,
}
