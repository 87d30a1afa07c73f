namespace OrleansTabs.Tabs;

/// <summary>
/// Whether a chat request of a tab could be served. The fence travels with every command, so the same answer says
/// whether the socket may go on (<see cref="SessionEnded"/>: close with 4501; <see cref="Superseded"/>: 4509).
/// </summary>
[Alias("ot.ChatOutcome")]
public enum ChatOutcome
{
    /// <summary>Served.</summary>
    Ok = 0,

    /// <summary>The tab has not joined the room (<c>not_member</c>).</summary>
    NotMember = 1,

    /// <summary>The session ended: nothing was done; close with 4501.</summary>
    SessionEnded = 2,

    /// <summary>The socket is no longer the tab's connection: nothing was done; close with 4509.</summary>
    Superseded = 3,

    /// <summary>The tab no longer knows the socket and nobody else holds it: nothing was done; close with a retryable code.</summary>
    Detached = 5,

    /// <summary>The tab is already a member of as many rooms as a tab may be (<c>OrleansTabs:Tabs:MaxRooms</c>): not joined.</summary>
    TooManyRooms = 4,

    /// <summary>The session's send budget is spent (<c>rate_limited</c> with <c>retryAfterMs</c>): not posted, not acked.</summary>
    RateLimited = 6,

    /// <summary>The server joined the tab's session to the room (docs/protocol.md section 7.3): the tab may not leave it (<c>forbidden</c>).</summary>
    Forbidden = 7,
}
