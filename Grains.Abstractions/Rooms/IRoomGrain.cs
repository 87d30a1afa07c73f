using OrleansTabs.Presence;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Rooms;

/// <summary>
/// A chat room (key: room name): its members and where each is connected, and its durable ordered log (stream
/// <c>room:&lt;name&gt;</c>, epoch + consecutive offsets, bounded retention). Posts are idempotent by (tab, client id),
/// acknowledged only once durable, written in group commits, and fanned out with one call per front-end.
/// </summary>
[Alias("ot.RoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds (or re-attaches) a member tab at its current connection, if any; a connected member is present in the room
    /// with <paramref name="presence"/>. Returns the head.
    /// </summary>
    [Alias("Join")]
    Task<StreamPosition> JoinAsync(string tabKey, ConnectionRef? connection, TabPresence presence);

    /// <summary>A member tab's page state changed: its presence entry changes with it (a diff to the room's watchers).</summary>
    [Alias("UpdatePresence")]
    Task UpdatePresenceAsync(string tabKey, TabPresence presence);

    /// <summary>
    /// A page of the tabs present in the room (docs/protocol.md section 6.2), from the start or after the cursor
    /// <paramref name="after"/> of the previous page; from now on the member's current connection gets the room's
    /// presence diffs, until that connection ends or the tab leaves.
    /// </summary>
    [Alias("Who")]
    Task<PresencePage> WhoAsync(string tabKey, string? after);

    /// <summary>Removes a member tab. Returns the head.</summary>
    [Alias("Leave")]
    Task<StreamPosition> LeaveAsync(string tabKey);

    /// <summary>Records that a member tab's socket went away (no-op if <paramref name="connectionId"/> is no longer current).</summary>
    [Alias("Detach")]
    Task DetachAsync(string tabKey, string connectionId);

    /// <summary>Appends a chat message durably (or finds the earlier post of the same tab and client id) and fans it out.</summary>
    [Alias("Post")]
    Task<PostResult> PostAsync(PostRequest request);

    /// <summary>
    /// Appends a server-originated payload durably and fans it out. Returns the number of connected member tabs, or
    /// null (and appends nothing) if the room has neither members nor messages. With an <paramref name="idempotencyKey"/>
    /// the room recorded within its dedup window, nothing is appended again (the key is deduplicated like a chat post's id).
    /// </summary>
    [Alias("Publish")]
    Task<int?> PublishAsync(string payloadJson, string? idempotencyKey = null);

    /// <summary>
    /// Appends a server-originated payload durably, whether or not the room was used before, and fans it out (the
    /// server API's publish, docs/protocol.md section 7.3). Answers once it is durable, with its offset; with an
    /// <paramref name="idempotencyKey"/> the room recorded within its dedup window, nothing is appended again and the
    /// first offset is answered (<see cref="PostResult.Duplicate"/>).
    /// </summary>
    [Alias("PublishMessage")]
    Task<PostResult> PublishMessageAsync(string payloadJson, string? idempotencyKey = null);

    /// <summary>Every tab present in the room now (docs/protocol.md section 6.2), without watching it.</summary>
    [Alias("GetPresence")]
    Task<ImmutableArray<PresentTab>> GetPresenceAsync();

    /// <summary>The head: epoch and newest offset.</summary>
    [Alias("Head")]
    Task<StreamPosition> HeadAsync();

    /// <summary>
    /// The first page of the retained messages after <paramref name="position"/> (at most
    /// <see cref="ReplyBudget.MaxReplayMessages"/>, and at most <paramref name="maxBytes"/> of them, though always one
    /// when <paramref name="maxBytes"/> is positive), or the reset reason if it is not retained (<c>gap</c>) or from
    /// another epoch (<c>epoch</c>). The caller asks again after the last offset returned until it reaches the head.
    /// </summary>
    [Alias("Replay")]
    Task<RoomReplay> ReplayAsync(StreamPosition position, int maxBytes);

    /// <summary>
    /// Up to <paramref name="limit"/> (at most <see cref="RoomHistory.MaxLimit"/>) of the newest retained messages before
    /// <paramref name="before"/> (or the head) that fit <see cref="ReplyBudget.MaxBytes"/>, oldest first.
    /// </summary>
    [Alias("History")]
    Task<RoomHistoryPage> HistoryAsync(long? before, int limit);
}
