namespace OrleansTabs.Tabs;

/// <summary>
/// The tab grain's verdict on a socket's frame, made where the frame is fenced and served, and written by the front-end
/// as it stands: the frame was served (<see cref="IsOk"/>); it is refused with an <c>error</c> frame of
/// <see cref="Error"/> and <see cref="Message"/> and the socket goes on; or the socket is closed with
/// <see cref="Close"/> (fencing on every inbound frame).
/// </summary>
/// <param name="Close">The close the socket gets, when it may not go on.</param>
/// <param name="Error">The <c>error</c> frame's <c>code</c> (<see cref="ErrorCodes"/>), when the frame is refused.</param>
/// <param name="Message">The <c>error</c> frame's <c>message</c>.</param>
/// <param name="RetryAfterMs">
/// When the refused frame may come again: a limit the session reached rather than a fault of the frame, so the
/// refusal does not count towards the socket's error storm.
/// </param>
[GenerateSerializer, Immutable]
[Alias("ot.FrameVerdict")]
public sealed record FrameVerdict(
    [property: Id(0)] CloseReason? Close,
    [property: Id(1)] string? Error = null,
    [property: Id(2)] string? Message = null,
    [property: Id(3)] int? RetryAfterMs = null)
{
    /// <summary>The socket is the tab's current connection of a live session, and the frame was served.</summary>
    public static readonly FrameVerdict Ok = new(Close: null);

    /// <summary>The session ended: <see cref="CloseReason.SessionEnded"/>.</summary>
    public static readonly FrameVerdict SessionEnded = new(CloseReason.SessionEnded);

    /// <summary>A newer connection took the tab over: <see cref="CloseReason.Superseded"/>.</summary>
    public static readonly FrameVerdict Superseded = new(CloseReason.Superseded);

    /// <summary>
    /// The tab no longer knows this socket (its front-end was given up for lost, or the tab's state expired) and no other
    /// connection holds it: <see cref="CloseReason.Detached"/>, so the client reconnects and resumes.
    /// </summary>
    public static readonly FrameVerdict Detached = new(CloseReason.Detached);

    /// <summary>Whether the frame was served and the socket goes on.</summary>
    public bool IsOk => Close is null && Error is null;

    /// <summary>Refuses the frame with an <c>error</c> frame; the socket goes on.</summary>
    public static FrameVerdict Refused(string error, string message, int? retryAfterMs = null) => new(null, error, message, retryAfterMs);
}
