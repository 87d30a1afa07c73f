using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>
/// One tab on one channel of one session (key: <see cref="TabAddress.ToGrainKey"/>). Holds the tab's
/// registration, instance id, liveness and current connection, and decides takeover and duplicates.
/// </summary>
public interface ITabGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a new socket. A live connection with the same instance is superseded (4509 to the old socket);
    /// a live connection with a different instance makes the newcomer a duplicate; a stale one is replaced.
    /// </summary>
    Task<ConnectResult> ConnectAsync(ConnectRequest request);

    /// <summary>
    /// Records activity of a socket and fences it: answers whether the socket is still the tab's connection of a live session.
    /// </summary>
    Task<FrameVerdict> TouchAsync(string connectionId);

    /// <summary>The front-end holding the tab's socket is gone: if it still is the current one, the tab is disconnected.</summary>
    Task FrontEndLostAsync(string frontEnd);

    /// <summary>Forgets the socket if it is still the current one; the tab's state stays for the retention window.</summary>
    Task DisconnectAsync(string connectionId, bool clean);

    /// <summary>
    /// Resumes the named streams for the socket: the retained frames after each position, in order, or a reset per
    /// stream whose position is no longer retained or whose epoch changed.
    /// </summary>
    Task<ResumeResult> ResumeAsync(string connectionId, ImmutableDictionary<string, StreamPosition> streams);

    /// <summary>The retained frames of a stream after <paramref name="afterOffset"/> (to repair a gap in live delivery).</summary>
    Task<ImmutableArray<StreamMessage>> ReplayAsync(string stream, long afterOffset);

    /// <summary>Cumulative client ack: frames of the tab's own stream up to <paramref name="offset"/> may be trimmed.</summary>
    Task AckAsync(string stream, long offset);

    /// <summary>Joins a room; membership survives reconnects of the tab. Returns the room stream's head.</summary>
    Task<StreamPosition> JoinAsync(string room);

    /// <summary>Leaves a room. Returns the room stream's head.</summary>
    Task<StreamPosition> LeaveAsync(string room);

    /// <summary>Posts a chat message to a joined room, idempotently by client message id.</summary>
    Task<SendResult> SendAsync(string room, string clientId, string text);

    /// <summary>Reads a joined room's retained messages, oldest first, ending before <paramref name="before"/>.</summary>
    Task<HistoryResult> HistoryAsync(string room, long? before, int limit);

    /// <summary>
    /// Appends a server-originated payload (JSON object text) to the tab's own stream, durably, and delivers it if a socket
    /// is connected. Returns true if it was handed to a front-end now; either way it is kept for resume.
    /// </summary>
    Task<bool> PushAsync(string payloadJson);

    /// <summary>
    /// Ends the tab because its session ended: the current socket is closed with 4501 and no later connect or frame is accepted.
    /// Interleaves, so a session can end a tab that is waiting on the session.
    /// </summary>
    [AlwaysInterleave]
    Task EndAsync(string reason);
}
