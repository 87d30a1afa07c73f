using OrleansTabs.Rooms;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>The tab's chat context: joined rooms (persisted with the tab), and the room side of resume.</summary>
public sealed partial class TabGrain
{
    private const string RoomPrefix = "room:";

    public async Task<StreamPosition> JoinAsync(string room)
    {
        if (!S.Rooms.Contains(room))
        {
            S.Rooms.Add(room);
            await state.WriteStateAsync();
        }

        return await Room(room).JoinAsync(_key, await CurrentConnectionAsync());
    }

    public async Task<StreamPosition> LeaveAsync(string room)
    {
        if (S.Rooms.Remove(room))
        {
            await state.WriteStateAsync();
        }

        return await Room(room).LeaveAsync(_key);
    }

    public async Task<SendResult> SendAsync(string room, string clientId, string text)
    {
        if (!S.Rooms.Contains(room))
        {
            return new SendResult(ChatOutcome.NotMember, null);
        }

        var post = await Room(room).PostAsync(new PostRequest(_key, clientId, S.User ?? "", _address.Tab, text));
        return new SendResult(ChatOutcome.Ok, post);
    }

    public async Task<HistoryResult> HistoryAsync(string room, long? before, int limit)
    {
        if (!S.Rooms.Contains(room))
        {
            return new HistoryResult(ChatOutcome.NotMember, []);
        }

        return new HistoryResult(ChatOutcome.Ok, await Room(room).HistoryAsync(before, limit));
    }

    /// <summary>The heads of every stream the tab is subscribed to; re-attaches the tab to its rooms at the current connection.</summary>
    private async Task<ImmutableDictionary<string, StreamPosition>> HeadsAsync()
    {
        var connection = await CurrentConnectionAsync();
        var rooms = S.Rooms.ToArray();
        var heads = await Task.WhenAll(rooms.Select(r => Room(r).JoinAsync(_key, connection)));
        var builder = ImmutableDictionary.CreateBuilder<string, StreamPosition>(StringComparer.Ordinal);
        builder[TabStream] = new StreamPosition(S.Epoch, S.Offset);
        for (var i = 0; i < rooms.Length; i++)
        {
            builder[RoomPrefix + rooms[i]] = heads[i];
        }

        return builder.ToImmutable();
    }

    private Task DetachRoomsAsync(string connectionId) =>
        Task.WhenAll(S.Rooms.Select(r => Room(r).DetachAsync(_key, connectionId)));

    private async Task<StreamResume> ResumeRoomAsync(string stream, StreamPosition position, ImmutableArray<StreamMessage>.Builder replay)
    {
        if (!stream.StartsWith(RoomPrefix, StringComparison.Ordinal) || !S.Rooms.Contains(stream[RoomPrefix.Length..]))
        {
            // Not a stream of this tab: nothing can be replayed, the client must drop what it holds.
            return new StreamResume(0, "gap", new StreamPosition("", 0));
        }

        var result = await Room(stream[RoomPrefix.Length..]).ReplayAsync(position);
        replay.AddRange(result.Messages);
        return new StreamResume(result.Messages.Length, result.ResetReason, result.Head);
    }

    private async Task<ImmutableArray<StreamMessage>> ReplayRoomAsync(string stream, long afterOffset)
    {
        if (!stream.StartsWith(RoomPrefix, StringComparison.Ordinal) || !S.Rooms.Contains(stream[RoomPrefix.Length..]))
        {
            return [];
        }

        var room = Room(stream[RoomPrefix.Length..]);
        var head = await room.HeadAsync();
        var result = await room.ReplayAsync(head with { Offset = afterOffset });
        return result.Messages;
    }

    /// <summary>The current socket with its front-end's observer (looked up again after a reactivation), or null.</summary>
    private async Task<ConnectionRef?> CurrentConnectionAsync() =>
        S.ConnectionId is { } id && S.FrontEnd is { } frontEnd && await ObserverAsync() is { } observer ? new ConnectionRef(frontEnd, id, observer) : null;

    private IRoomGrain Room(string room) => GrainFactory.GetGrain<IRoomGrain>(room);
}
