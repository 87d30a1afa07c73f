using OrleansTabs.FrontEnds;
using OrleansTabs.Presence;
using OrleansTabs.Rooms;
using OrleansTabs.Sessions;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>The tab's chat context: joined rooms (persisted with the tab), and the room side of resume.</summary>
public sealed partial class TabGrain
{
    public async Task<MembershipResult> JoinAsync(string connectionId, string room)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return new MembershipResult(verdict, default!);
        }

        if (!S.Rooms.Contains(room))
        {
            if (S.Rooms.Count >= tabOptions.Value.MaxRooms)
            {
                return new MembershipResult(TooManyRooms, default!);
            }

            S.Rooms.Add(room);
            await state.WriteStateAsync();
        }

        return new MembershipResult(FrameVerdict.Ok, await Room(room).JoinAsync(_key, await CurrentConnectionAsync(), Presence()));
    }

    public async Task<PresenceResult> WhoAsync(string connectionId, string room, string? after)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return new PresenceResult(verdict, []);
        }

        if (!S.Rooms.Contains(room))
        {
            return new PresenceResult(NotMember($"Join room '{room}' before asking who is in it."), []);
        }

        var page = await RoomCallAsync(room, r => r.WhoAsync(_key, after));
        return new PresenceResult(FrameVerdict.Ok, page.Tabs, page.Next);
    }

    public async Task<MembershipResult> LeaveAsync(string connectionId, string room)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return new MembershipResult(verdict, default!);
        }

        if (IsServerRoom(room))
        {
            return new MembershipResult(FrameVerdict.Refused(ErrorCodes.Forbidden, $"The server joined this session to room '{room}'; only the server can leave it."), default!);
        }

        if (S.Rooms.Remove(room))
        {
            await state.WriteStateAsync();
        }

        return new MembershipResult(FrameVerdict.Ok, await Room(room).LeaveAsync(_key));
    }

    public async Task<SendResult> SendAsync(string connectionId, string room, string clientId, string text)
    {
        // Interleaved: nothing before the post may await in the common case, so sends reach the room in arrival order.
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return new SendResult(verdict, null);
        }

        if (!S.Rooms.Contains(room))
        {
            return new SendResult(NotMember($"Join room '{room}' before sending to it."), null);
        }

        if (await SendBudget.TakeAsync() is { } retryAfterMs)
        {
            return new SendResult(FrameVerdict.Refused(ErrorCodes.RateLimited, "The session's send budget is spent; send again later with the same id.", retryAfterMs), null);
        }

        var post = await Room(room).PostAsync(new PostRequest(_key, clientId, S.User ?? "", _address.Tab, text, S.Name));
        return new SendResult(FrameVerdict.Ok, post);
    }

    /// <summary>The tab's share of its session's send budget, leased from the session grain (docs/protocol.md section 6.4).</summary>
    private SendAllowance SendBudget => _sendBudget ??= new SendAllowance(
        LeaseSendsAsync,
        SendAllowance.LeaseSize(sessionOptions.Value.SendsPerSecond, sessionOptions.Value.SendBurst),
        clock);

    /// <summary>
    /// A lease from the session, asked again if an attempt gets no answer in time (<see cref="GrainRetry"/>): every send
    /// of the tab waits for it, so a request lost between two silos would hold them all for the silos' response timeout.
    /// An attempt that is answered late only leaves its lease unused (it lapses): the session's budget then errs towards
    /// fewer sends, never more.
    /// </summary>
    private Task<SendGrant> LeaseSendsAsync(int size) =>
        GrainRetry.CallAsync((Grain: this, Size: size), static s => s.Grain.Session.LeaseSendsAsync(s.Size), tabOptions.Value.RoomCallAttemptTimeout, RoomCallBudget, clock, logger, _key, "its send lease");

    public async Task<HistoryResult> HistoryAsync(string connectionId, string room, long? before, int limit)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return new HistoryResult(verdict, []);
        }

        if (!S.Rooms.Contains(room))
        {
            return new HistoryResult(NotMember($"Join room '{room}' before reading its history."), []);
        }

        var page = await RoomCallAsync(room, r => r.HistoryAsync(before, limit));
        return new HistoryResult(FrameVerdict.Ok, page.Messages, page.Truncated);
    }

    /// <summary>A <c>join</c> beyond <see cref="Options.TabOptions.MaxRooms"/>: refused, the socket goes on.</summary>
    private static readonly FrameVerdict TooManyRooms =
        FrameVerdict.Refused(ErrorCodes.InvalidField, "This tab is a member of as many rooms as a tab may be; leave one first.");

    /// <summary>A frame for a room the tab has not joined: refused, the socket goes on.</summary>
    private static FrameVerdict NotMember(string message) => FrameVerdict.Refused(ErrorCodes.NotMember, message);

    /// <summary>The heads of every stream the tab is subscribed to; re-attaches the tab to its rooms at the current connection.</summary>
    private async Task<ImmutableDictionary<string, StreamPosition>> HeadsAsync(StreamPosition? tabHead = null)
    {
        var connection = await CurrentConnectionAsync();
        var rooms = S.Rooms.ToArray();
        var heads = await Task.WhenAll(rooms.Select(r => Room(r).JoinAsync(_key, connection, Presence())));
        var builder = ImmutableDictionary.CreateBuilder<string, StreamPosition>(StringComparer.Ordinal);
        builder[StreamNames.Tab] = tabHead ?? new StreamPosition(S.Epoch, S.Offset);
        for (var i = 0; i < rooms.Length; i++)
        {
            builder[StreamNames.Room(rooms[i])] = heads[i];
        }

        return builder.ToImmutable();
    }

    /// <summary>Delivers each room's newest message to a re-attached socket: a gap before it makes the socket fetch what it missed.</summary>
    private async Task NudgeRoomsAsync(IFrontEndObserver observer, string connectionId, ImmutableDictionary<string, StreamPosition> heads)
    {
        foreach (var (stream, head) in heads)
        {
            if (head.Offset > 0 && StreamNames.TryGetRoom(stream, out var room))
            {
                var newest = await RoomCallAsync(room, r => r.ReplayAsync(head with { Offset = head.Offset - 1 }, ReplyBudget.MaxBytes));
                if (!newest.Messages.IsEmpty)
                {
                    observer.DeliverAsync(newest.Messages, [connectionId]).Ignore();
                }
            }
        }
    }

    private Task DetachRoomsAsync(string connectionId) =>
        Task.WhenAll(S.Rooms.Select(r => Room(r).DetachAsync(_key, connectionId)));

    /// <summary>Resumes a room stream: its outcome, and its first frames within <paramref name="budget"/> bytes added to <paramref name="replay"/>.</summary>
    private async Task<StreamResume> ResumeRoomAsync(string stream, StreamPosition position, ImmutableArray<StreamMessage>.Builder replay, int budget)
    {
        if (!StreamNames.TryGetRoom(stream, out var name) || !S.Rooms.Contains(name))
        {
            // Not a stream of this tab: nothing can be replayed, the client must drop what it holds.
            return new StreamResume(0, ResetReasons.Gap, new StreamPosition("", 0));
        }

        var result = await RoomCallAsync(name, r => r.ReplayAsync(position, budget));
        replay.AddRange(result.Messages);
        var replayed = result.ResetReason is null ? (int)(result.Head.Offset - position.Offset) : 0;
        return new StreamResume(replayed, result.ResetReason, result.Head);
    }

    private async Task<ImmutableArray<StreamMessage>> ReplayRoomAsync(string stream, long afterOffset)
    {
        if (!StreamNames.TryGetRoom(stream, out var name) || !S.Rooms.Contains(name))
        {
            return [];
        }

        var head = await RoomCallAsync(name, r => r.HeadAsync());
        var result = await RoomCallAsync(name, r => r.ReplayAsync(head with { Offset = afterOffset }, ReplyBudget.MaxBytes));
        return result.Messages;
    }

    /// <summary>The current socket with its front-end's observer (looked up again after a reactivation), or null.</summary>
    private async Task<ConnectionRef?> CurrentConnectionAsync() =>
        S.ConnectionId is { } id && S.FrontEnd is { } frontEnd && await ObserverAsync() is { } observer ? new ConnectionRef(frontEnd, id, observer) : null;

    private IRoomGrain Room(string room) => GrainFactory.Get<IRoomGrain>(room);

    /// <summary>
    /// A read from a room, asked again if an attempt gets no answer in time (<see cref="GrainRetry"/>). Only reads: a
    /// membership or presence change whose first attempt lands late, after a newer one (the tab stopped waiting for
    /// it), would set the room back to a connection the tab no longer has.
    /// </summary>
    private Task<T> RoomCallAsync<T>(string room, Func<IRoomGrain, Task<T>> call) =>
        GrainRetry.CallAsync((Grain: this, Room: room, Call: call), static s => s.Call(s.Grain.Room(s.Room)), tabOptions.Value.RoomCallAttemptTimeout, RoomCallBudget, clock, logger, _key, room);

    /// <summary>
    /// What one call to a room or for a lease may take, its attempts included: two attempt timeouts, so that the tab
    /// answers its front-end (whose own attempts are longer) rather than wait the cluster's response timeout.
    /// </summary>
    private TimeSpan RoomCallBudget => tabOptions.Value.RoomCallAttemptTimeout * 2;

    /// <summary>This tab as its rooms show it in presence.</summary>
    private TabPresence Presence() => new(S.User ?? "", _address.Tab, _visible, _focused, S.Name);
}
