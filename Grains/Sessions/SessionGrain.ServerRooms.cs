using Microsoft.Extensions.Logging;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Sessions;

/// <summary>
/// Membership decided by the server (docs/protocol.md section 7.3), kept with the session: the rooms its chat tabs are
/// members of from their <c>welcome</c>, and may not leave. A session the server joined to no room keeps none, so its
/// connects cost nothing more.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>Rooms are the chat channel's: a dashboard tab is never a member.</summary>
    private const string ChatChannel = "chat";

    public async Task<bool> JoinRoomAsync(string room)
    {
        if (!await EnsureLiveAsync())
        {
            return false;
        }

        var rooms = S.ServerRooms ??= [];
        if (!rooms.Contains(room))
        {
            if (rooms.Count >= tabOptions.Value.MaxRooms)
            {
                throw new InvalidOperationException($"The session is a member of {rooms.Count} rooms the server joined, the most a tab may have (OrleansTabs:Tabs:MaxRooms).");
            }

            // Before the write, so that a tab attaching while it is in flight is told of the room in its attachment.
            rooms.Add(room);
            await WriteAsync();
        }

        // Taken after the write: a tab that attached before the room was added is connected by now, and is told here.
        await Task.WhenAll(ConnectedChatTabs().Select(key => TellTabAsync(key, room, joined: true)));
        LogServerMembership(logger, _id, "joined", room);
        return true;
    }

    public async Task<bool> LeaveRoomAsync(string room)
    {
        if (!await EnsureLiveAsync())
        {
            return false;
        }

        if (S.ServerRooms?.Remove(room) == true)
        {
            if (S.ServerRooms.Count == 0)
            {
                S.ServerRooms = null;
            }

            await WriteAsync();
        }

        await Task.WhenAll(ConnectedChatTabs().Select(key => TellTabAsync(key, room, joined: false)));
        LogServerMembership(logger, _id, "left", room);
        return true;
    }

    /// <summary>The server's rooms for an attaching tab: default (none) for a dashboard tab or a session without any.</summary>
    private ImmutableArray<string> ServerRoomsOf(TabAddress tab) =>
        S.ServerRooms is { Count: > 0 } rooms && tab.Channel == ChatChannel ? [.. rooms] : default;

    private string[] ConnectedChatTabs() =>
        [.. S.Tabs.Where(t => t.Value is { Connected: true, Channel: ChatChannel }).Select(t => t.Key)];

    private async Task TellTabAsync(string key, string room, bool joined)
    {
        var tab = GrainFactory.Get<ITabGrain>(key);
        try
        {
            await (joined ? tab.ServerJoinAsync(room) : tab.ServerLeaveAsync(room));
        }
        catch (Exception ex)
        {
            // The membership is stored: the tab takes it from its attachment when it next connects.
            LogServerMembershipFailed(logger, ex, key, room);
        }
    }
}
