using System.Text.Json;

namespace OrleansTabs;

/// <summary>
/// The server API of OrleansTabs, the same wherever it is injected (a grain, a controller, a background service, on a
/// silo or a front-end): pushes to users, sessions, tabs and rooms, publishing into a room's durable stream, dashboard
/// topics, membership decided by the server, sign-out, presence and history. Payloads are serialized with
/// System.Text.Json's web defaults (<see cref="JsonSerializerDefaults.Web"/>). A bad argument throws
/// <see cref="ArgumentException"/> naming the parameter, before anything is sent.
/// </summary>
public interface IOrleansTabs
{
    /// <summary>
    /// Pushes <paramref name="payload"/> as a <c>message</c> of each target tab's own <c>tab</c> stream (a room target:
    /// of the room's stream; a topic target: the topic's new value), as <c>POST /api/push</c> does. <paramref name="delivery"/>
    /// applies to user and session targets only (docs/protocol.md section 6.3). A repeat of <paramref name="idempotencyKey"/>
    /// within the dedup window delivers nothing again. An unknown target gets a receipt with <see cref="PushReceipt.Found"/> false.
    /// </summary>
    Task<PushReceipt> PushAsync<T>(TabsTarget target, T payload, PushDelivery delivery = PushDelivery.All,
        string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a <c>message</c> with <paramref name="payload"/> and <c>from</c> <c>{"server":true}</c> to the room's durable
    /// stream and fans it out to its member tabs; durable when the task completes. Returns its offset; a repeat of
    /// <paramref name="idempotencyKey"/> within the room's dedup window posts nothing and returns the first offset.
    /// </summary>
    Task<long> PublishAsync<T>(string room, T payload, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the latest value of a dashboard topic; every dashboard tab gets it as a <c>snapshot</c>.</summary>
    Task SetTopicAsync<T>(string topic, T data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Joins a session (<see cref="TabsTarget.Session"/>) or every live session of a user (<see cref="TabsTarget.User"/>)
    /// to a room, kept with the session (docs/protocol.md section 7.3): each connected chat tab gets <c>joined</c> with
    /// <c>"by":"server"</c>, a tab that connects later is a member from its <c>welcome</c>, and a tab's own <c>leave</c>
    /// of the room is refused (<c>forbidden</c>) until <see cref="LeaveAsync"/>.
    /// </summary>
    Task JoinAsync(TabsTarget target, string room, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the membership of a session's (or every live session of a user's) tabs in a room, however they joined it: each
    /// member tab connected now gets <c>left</c> with <c>"by":"server"</c>.
    /// </summary>
    Task LeaveAsync(TabsTarget target, string room, CancellationToken cancellationToken = default);

    /// <summary>Ends a session (or every live session of a user) as a logout does: every tab of it is closed with 4501.</summary>
    Task SignOutAsync(TabsTarget target, CancellationToken cancellationToken = default);

    /// <summary>The users present in a room now (docs/protocol.md section 6.2), each with its present tabs.</summary>
    Task<IReadOnlyList<PresentUser>> PresenceAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> (clamped to 200) retained messages of a room, oldest first, ending before the offset
    /// <paramref name="before"/> (exclusive) or at the head: the newest of them that fit 256 KiB as frames
    /// (<see cref="Streams.ReplyBudget.MaxBytes"/>). Fewer than asked while older ones are retained: ask again before the
    /// first offset returned.
    /// </summary>
    Task<IReadOnlyList<RoomMessage>> HistoryAsync(string room, long? before = null, int limit = 50,
        CancellationToken cancellationToken = default);
}
