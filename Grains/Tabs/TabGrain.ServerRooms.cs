using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// Membership decided by the server (docs/protocol.md section 7.3): rooms the tab's session was joined to are members of
/// the tab like the rooms it joined itself, and it may not leave them. The session keeps them; the tab takes them from
/// its attachment on every connect (so a change it missed is made up then) and from the session's calls meanwhile.
/// </summary>
public sealed partial class TabGrain
{
    public async Task ServerJoinAsync(string room)
    {
        await EnsureBoundAsync();
        if (_ended || S.ServerRooms?.Contains(room) == true)
        {
            return;
        }

        var created = !state.RecordExists;
        (S.ServerRooms ??= []).Add(room);
        if (!S.Rooms.Contains(room))
        {
            S.Rooms.Add(room);
        }

        await state.WriteStateAsync();
        if (S.ConnectionId is null && created)
        {
            StartRetentionTimer();
        }

        var connection = await CurrentConnectionAsync();
        var head = await Room(room).JoinAsync(_key, connection, Presence());
        connection?.Observer.ServerMembershipAsync(connection.ConnectionId, room, head, joined: true).Ignore();
    }

    public async Task ServerLeaveAsync(string room)
    {
        await EnsureBoundAsync();
        if (_ended || !S.Rooms.Contains(room))
        {
            return;
        }

        S.Rooms.Remove(room);
        ForgetServerRoom(room);
        await state.WriteStateAsync();
        var head = await Room(room).LeaveAsync(_key);
        if (await CurrentConnectionAsync() is { } connection)
        {
            connection.Observer.ServerMembershipAsync(connection.ConnectionId, room, head, joined: false).Ignore();
        }
    }

    /// <summary>Whether the server holds the tab in <paramref name="room"/>, so that its own <c>leave</c> is refused.</summary>
    private bool IsServerRoom(string room) => S.ServerRooms?.Contains(room) == true;

    /// <summary>
    /// Makes the tab's server rooms those its session attached it with (in memory; the caller writes): rooms added are
    /// joined, rooms the server left meanwhile are left. Returns the rooms left, for the caller to leave at their room
    /// grains; null if nothing changed (the common connect: no server rooms on either side).
    /// </summary>
    private List<string>? TakeServerRooms(ImmutableArray<string> rooms, out bool changed)
    {
        changed = false;
        if (rooms.IsDefaultOrEmpty && S.ServerRooms is null)
        {
            return null;
        }

        var wanted = rooms.IsDefault ? [] : rooms;
        var dropped = S.ServerRooms?.Where(r => !wanted.Contains(r)).ToList();
        foreach (var room in dropped ?? [])
        {
            S.Rooms.Remove(room);
            ForgetServerRoom(room);
            changed = true;
        }

        foreach (var room in wanted.Where(r => !IsServerRoom(r)))
        {
            (S.ServerRooms ??= []).Add(room);
            if (!S.Rooms.Contains(room))
            {
                S.Rooms.Add(room);
            }

            changed = true;
        }

        return dropped is { Count: > 0 } ? dropped : null;
    }

    private void ForgetServerRoom(string room)
    {
        if (S.ServerRooms?.Remove(room) == true && S.ServerRooms.Count == 0)
        {
            S.ServerRooms = null;
        }
    }
}
