using Microsoft.AspNetCore.SignalR;

namespace OrleansTabs.Peers.SignalRChat;

/// <summary>
/// The chat hub: <c>Join(room)</c> adds the connection to the room's group, <c>Send(room, id, text)</c> takes the
/// room's next offset, sends the message to the group and returns the ack to the caller.
/// </summary>
public sealed class ChatHub(RoomOffsets offsets) : Hub
{
    /// <summary>Where the auth middleware leaves the signed-in user.</summary>
    public const string UserKey = "peer.user";

    private const string RoomsKey = "peer.rooms";

    /// <summary>Joins a room; returns its stream and head.</summary>
    public async Task<Joined> Join(string room)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, room);
        Rooms.Add(room);
        return new Joined(room, "room:" + room, offsets.Epoch, offsets.Head(room));
    }

    /// <summary>Posts a message to a joined room; returns the ack with its offset.</summary>
    public async Task<Ack> Send(string room, string id, string text)
    {
        if (!Rooms.Contains(room))
        {
            throw new HubException("not_member");
        }

        var stream = "room:" + room;
        var offset = offsets.Next(room);
        var user = Context.GetHttpContext()?.Items[UserKey] as string ?? "";
        var tab = Context.GetHttpContext()?.Request.Query["tab"].ToString() ?? Context.ConnectionId;
        var message = new ChatMessage(stream, offsets.Epoch, offset, offsets.Epoch + "-" + offset, id, new Sender(user, tab), room, text, DateTimeOffset.UtcNow);
        await Clients.Group(room).SendAsync("message", message);
        return new Ack(id, stream, offset);
    }

    private HashSet<string> Rooms =>
        Context.Items.TryGetValue(RoomsKey, out var rooms) ? (HashSet<string>)rooms! : (HashSet<string>)(Context.Items[RoomsKey] = new HashSet<string>(StringComparer.Ordinal));
}
