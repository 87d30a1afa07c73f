using OrleansTabs.Tabs;

namespace OrleansTabs.Sessions;

/// <summary>
/// One signed-in session (key: the public session handle). Persisted: user, created and last-seen times, sliding
/// and absolute expiry, the revoked flag and the attached tabs. Logout or expiry revokes it for good and closes
/// every attached tab with 4501 on whichever front-end holds it.
/// </summary>
[Alias("ot.SessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the session for <paramref name="user"/>, whose name is its subject (the development sign-in by name). Fails
    /// if this key was used before.
    /// </summary>
    [Alias("StartUser")]
    Task<SessionInfo> StartAsync(string user);

    /// <summary>Creates the session of a sign-in (<see cref="SessionStart"/>). Fails if this key was used before.</summary>
    [Alias("Start")]
    Task<SessionInfo> StartAsync(SessionStart start);

    /// <summary>
    /// The session if it is live (this counts as activity for the sliding expiry), or null if it is unknown,
    /// revoked or expired. An expired session is ended on the spot.
    /// </summary>
    [Alias("Validate")]
    Task<SessionInfo?> ValidateAsync();

    /// <summary>The session and its attached tabs, or null if it is not live.</summary>
    [Alias("Describe")]
    Task<SessionView?> DescribeAsync();

    /// <summary>The attached tabs, or null if the session is not live. Not activity: it does not slide the expiry.</summary>
    [Alias("GetTabs")]
    Task<TabEntry[]?> GetTabsAsync();

    /// <summary>
    /// Attaches a connected tab with its socket (so that an end of the session closes the sockets of each front-end in one
    /// command list). The session's record is where the tab's connection is kept durably (the tab grain does not write
    /// its own state to connect; a tab reactivated after a silo loss recalls it with <see cref="RecallTabAsync"/>). A tab
    /// id the session does not know yet is refused (<see cref="AttachOutcome.TooManyTabs"/>) when the session already has
    /// its maximum of distinct tabs; a tab it knows (a reconnect, or the tab's other channel) is never refused for that;
    /// <see cref="AttachOutcome.SessionEnded"/> if the session is not live; <see cref="AttachOutcome.Duplicate"/> if
    /// another page holds the tab with a connection that may be live (<see cref="TabBinding.RecordedMayBeLive"/>).
    /// Otherwise a connection of the tab that was still recorded is taken over (returned in
    /// <see cref="TabAttachment.Superseded"/>, its close recorded as 4509). Hands over the pushes kept for the next tab.
    /// Attaches interleave with the session's other calls (all of its checks and changes happen before its one await,
    /// the write, which the attaches of tabs connecting together share); the session's end is seen by any attach that
    /// runs after it began.
    /// </summary>
    [AlwaysInterleave]
    [Alias("AttachTab")]
    Task<TabAttachment> AttachTabAsync(TabAddress tab, TabBinding binding);

    /// <summary>
    /// What the session records of a tab (its connection, the page's instance id, the epoch of a tab stream never
    /// written), for a tab grain reactivated without it; <see cref="TabRecall.Ended"/> if the session is not live. Counts
    /// as activity for the sliding expiry, as <see cref="ValidateAsync"/> does. Interleaves: a tab asked by this session
    /// (which tab to push to) may have to recall first.
    /// </summary>
    [AlwaysInterleave]
    [Alias("RecallTab")]
    Task<TabRecall> RecallTabAsync(TabAddress tab);

    /// <summary>
    /// Marks a tab disconnected, recording how its connection ended: it stays listed with its <c>lastClose</c> until
    /// <paramref name="forget"/> (the tab expired) drops it. <paramref name="released"/>: the page closed the socket on
    /// purpose, so the tab no longer counts against the session's tab cap. A detach of a connection the session no
    /// longer records for the tab (<paramref name="connectionId"/>: it was taken over meanwhile) changes nothing; a
    /// forget (null connection id) drops the tab whatever it records.
    /// </summary>
    [OneWay]
    [Alias("DetachTab")]
    Task DetachTabAsync(TabAddress tab, string? connectionId, bool forget, TabClose close, bool released);

    /// <summary>
    /// Chooses the one tab a push goes to (docs/protocol.md section 6.3): the connected tab that reported focus most recently,
    /// else the most recently active connected tab. With no connected tab, <paramref name="queuePayload"/> (if given) is
    /// kept durably for the next tab that connects, within the tab retention. Null if the session is not live.
    /// </summary>
    [Alias("ChooseTab")]
    Task<PushChoice?> ChooseTabAsync(string? queuePayload);

    /// <summary>Activity seen on a tab, for the sliding expiry.</summary>
    [OneWay]
    [Alias("Touch")]
    Task TouchAsync();

    /// <summary>
    /// Takes up to <paramref name="wanted"/> chat sends from the session's one budget, shared by its tabs on every
    /// front-end (a token bucket: <c>SendsPerSecond</c>, burst <c>SendBurst</c>). Memory only, answered between other calls.
    /// </summary>
    [AlwaysInterleave]
    [Alias("LeaseSends")]
    Task<SendGrant> LeaseSendsAsync(int wanted);

    /// <summary>
    /// Joins the session to <paramref name="room"/> for the server (docs/protocol.md section 7.3), durably: each chat tab
    /// connected now becomes a member and gets <c>joined</c> with <c>"by":"server"</c>; a chat tab that attaches later is
    /// a member from its <c>welcome</c>. A tab's own <c>leave</c> of the room is refused until <see cref="LeaveRoomAsync"/>.
    /// Answered once the membership is stored and the connected tabs were told. False if the session is not live; throws
    /// <see cref="InvalidOperationException"/> if the session already has the most server-joined rooms a tab may have.
    /// </summary>
    [Alias("JoinRoom")]
    Task<bool> JoinRoomAsync(string room);

    /// <summary>
    /// Ends the membership of the session's chat tabs in <paramref name="room"/>, however they joined it: each member tab
    /// connected now gets <c>left</c> with <c>"by":"server"</c>. False if the session is not live.
    /// </summary>
    [Alias("LeaveRoom")]
    Task<bool> LeaveRoomAsync(string room);

    /// <summary>Ends the session: revokes it for good and closes every attached tab with 4501.</summary>
    [Alias("Logout")]
    Task LogoutAsync();

    /// <summary>
    /// Ends the session because its user signed in more often than allowed and this is the oldest session: exactly a
    /// logout (revoked for good, every tab closed with 4501).
    /// </summary>
    [Alias("Evict")]
    Task EvictAsync();

    /// <summary>Checks the expiry deadlines now and ends the session if one passed. Returns true if it is still live.</summary>
    [Alias("CheckExpiry")]
    Task<bool> CheckExpiryAsync();
}
