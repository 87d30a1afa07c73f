using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>
/// One tab on one channel of one session (key: <see cref="TabAddress.ToGrainKey"/>). Holds the tab's
/// registration, instance id, liveness and current connection, and decides takeover and duplicates.
/// </summary>
[Alias("ot.TabGrain")]
public interface ITabGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a new socket. A live connection with the same instance is superseded (4509 to the old socket);
    /// a live connection with a different instance makes the newcomer a duplicate; a stale one is replaced.
    /// </summary>
    [Alias("Connect")]
    Task<ConnectResult> ConnectAsync(ConnectRequest request);

    /// <summary>
    /// Records activity of a socket and fences it: answers whether the socket is still the tab's connection of a live
    /// session. Used for frames that carry no command (<c>ping</c>, refused frames); every command fences itself.
    /// </summary>
    [Alias("Touch")]
    Task<FrameVerdict> TouchAsync(string connectionId);

    /// <summary>The front-end holding the tab's socket is gone: if it still is the current one, the tab is disconnected.</summary>
    [Alias("FrontEndLost")]
    Task FrontEndLostAsync(string frontEnd);

    /// <summary>
    /// Forgets the socket if it is still the current one, recording how it ended; the tab's state stays for the retention
    /// window (<paramref name="clean"/>: the page closed it on purpose).
    /// </summary>
    [Alias("Disconnect")]
    Task DisconnectAsync(string connectionId, bool clean, TabClose close);

    /// <summary>Fences the socket and records the page's visibility and focus (docs/protocol.md section 6.1).</summary>
    [Alias("ReportState")]
    Task<FrameVerdict> ReportStateAsync(string connectionId, bool visible, bool focused);

    /// <summary>The tab's presence entry while a socket is connected, else null; answered between other calls (memory only).</summary>
    [AlwaysInterleave]
    [Alias("GetPresence")]
    Task<OrleansTabs.Presence.TabPresence?> GetPresenceAsync();

    /// <summary>The page's reported state and the tab's last activity; answered between other calls (memory only).</summary>
    [AlwaysInterleave]
    [Alias("GetActivity")]
    Task<TabActivity> GetActivityAsync();

    /// <summary>
    /// Fences the socket, then resumes the named streams for it: per stream, how many retained frames follow its
    /// position and the head they lead to, or a reset when the position is no longer retained or the epoch changed;
    /// and the first of those frames, in stream order, within <see cref="ReplyBudget.MaxBytes"/> in all. The caller
    /// fetches the rest of each stream in pages (<see cref="ReplayAsync"/>).
    /// </summary>
    [Alias("Resume")]
    Task<ResumeResult> ResumeAsync(string connectionId, ImmutableDictionary<string, StreamPosition> streams);

    /// <summary>
    /// A page of the retained frames of a stream after <paramref name="afterOffset"/> (a resume's rest, or a gap in live
    /// delivery), at most <see cref="ReplyBudget.MaxReplayMessages"/> and <see cref="ReplyBudget.MaxBytes"/>; empty
    /// when none follow.
    /// </summary>
    [Alias("Replay")]
    Task<ImmutableArray<StreamMessage>> ReplayAsync(string stream, long afterOffset);

    /// <summary>Fences the socket; a cumulative client ack: frames of the tab's own stream up to <paramref name="offset"/> may be trimmed.</summary>
    [Alias("Ack")]
    Task<FrameVerdict> AckAsync(string connectionId, string stream, long offset);

    /// <summary>Fences the socket and joins a room; membership survives reconnects of the tab. Answers with the room stream's head.</summary>
    [Alias("Join")]
    Task<MembershipResult> JoinAsync(string connectionId, string room);

    /// <summary>
    /// Fences the socket and asks a joined room who is present (docs/protocol.md section 6.2), a page at a time (from the
    /// start, or after the cursor <paramref name="after"/> of the previous page), subscribing the socket to its diffs.
    /// </summary>
    [Alias("Who")]
    Task<PresenceResult> WhoAsync(string connectionId, string room, string? after);

    /// <summary>Fences the socket and leaves a room. Answers with the room stream's head.</summary>
    [Alias("Leave")]
    Task<MembershipResult> LeaveAsync(string connectionId, string room);

    /// <summary>
    /// Fences the socket and posts a chat message to a joined room, idempotently by client message id; answers once the
    /// message is durable. Interleaves, so that several sends of one tab are in flight at once (the room's group commit
    /// takes them together); they reach the room in the order they arrive here, which is the order the socket read them.
    /// </summary>
    [AlwaysInterleave]
    [Alias("Send")]
    Task<SendResult> SendAsync(string connectionId, string room, string clientId, string text);

    /// <summary>
    /// Fences the socket and reads a page of a joined room's retained messages, oldest first, ending before
    /// <paramref name="before"/>, within <see cref="ReplyBudget.MaxBytes"/> (<see cref="HistoryResult.Truncated"/>).
    /// </summary>
    [Alias("History")]
    Task<HistoryResult> HistoryAsync(string connectionId, string room, long? before, int limit);

    /// <summary>
    /// Appends a server-originated payload (JSON object text) to the tab's own stream, durably, and delivers it if a socket
    /// is connected. Returns true if it was handed to a front-end now; either way it is kept for resume. A failed durable
    /// write changes nothing (no frame, no offset). With an <paramref name="idempotencyKey"/> seen within the dedup window,
    /// nothing is appended again and the first push's answer is returned.
    /// </summary>
    [Alias("Push")]
    Task<bool> PushAsync(string payloadJson, string? idempotencyKey = null);

    /// <summary>
    /// Makes the tab a member of <paramref name="room"/> for its session's server membership (docs/protocol.md section
    /// 7.3), durably; a connected socket gets <c>joined</c> with <c>"by":"server"</c>. Until <see cref="ServerLeaveAsync"/>
    /// the tab's own <c>leave</c> of the room is refused (<c>forbidden</c>). A room the server joined
    /// already changes nothing.
    /// </summary>
    [Alias("ServerJoin")]
    Task ServerJoinAsync(string room);

    /// <summary>
    /// Ends the tab's membership of <paramref name="room"/>, however it joined; a connected socket of a member gets
    /// <c>left</c> with <c>"by":"server"</c>. A room the tab is not a member of changes nothing.
    /// </summary>
    [Alias("ServerLeave")]
    Task ServerLeaveAsync(string room);

    /// <summary>
    /// Ends the tab because its session ended: the current socket is closed with 4501 and no later connect or frame is accepted.
    /// <paramref name="closedConnectionId"/> names a socket the session already closed (with the others on its
    /// front-end, in one command list), which the tab then does not close again. Interleaves, so a session can end a tab
    /// that is waiting on the session.
    /// </summary>
    [AlwaysInterleave]
    [Alias("End")]
    Task EndAsync(string reason, string? closedConnectionId);
}
