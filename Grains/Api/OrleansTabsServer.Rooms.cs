using OrleansTabs.Presence;
using OrleansTabs.Rooms;
using OrleansTabs.Sessions;
using OrleansTabs.Streams;
using OrleansTabs.Users;

namespace OrleansTabs.Grains.Api;

/// <summary>The room side of the server API: membership decided by the server, presence and history.</summary>
public sealed partial class OrleansTabsServer
{
    public Task JoinAsync(TabsTarget target, string room, CancellationToken cancellationToken = default) =>
        MembershipAsync(target, room, joined: true, cancellationToken);

    public Task LeaveAsync(TabsTarget target, string room, CancellationToken cancellationToken = default) =>
        MembershipAsync(target, room, joined: false, cancellationToken);

    public async Task<IReadOnlyList<PresentUser>> PresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        RoomNames.Require(room);
        cancellationToken.ThrowIfCancellationRequested();
        var present = await grains.Get<IRoomGrain>(room).GetPresenceAsync();
        return [.. present
            .GroupBy(t => t.User, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PresentUser(g.Key, g.First().Name ?? g.Key, [.. g.OrderBy(t => t.Since).ThenBy(t => t.Tab, StringComparer.Ordinal).Select(ToTab)]))];
    }

    public async Task<IReadOnlyList<RoomMessage>> HistoryAsync(string room, long? before = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        RoomNames.Require(room);
        ArgumentOutOfRangeException.ThrowIfLessThan(before ?? 1, 1, nameof(before));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var page = await grains.Get<IRoomGrain>(room).HistoryAsync(before, Math.Min(limit, RoomHistory.MaxLimit));
        return [.. page.Messages.Select(ToMessage)];
    }

    private async Task MembershipAsync(TabsTarget target, string room, bool joined, CancellationToken cancellationToken)
    {
        SessionsOrUser(target);
        RoomNames.Require(room);
        cancellationToken.ThrowIfCancellationRequested();
        var sessions = target.Kind == TabsTargetKind.User ? await grains.Get<IUserGrain>(target.Id).GetSessionsAsync() : [target.Id];
        await Task.WhenAll(sessions.Select(s => joined
            ? grains.Get<ISessionGrain>(s).JoinRoomAsync(room)
            : grains.Get<ISessionGrain>(s).LeaveRoomAsync(room)));
    }

    private static PresentUserTab ToTab(PresentTab tab) =>
        new(tab.Tab, tab.Visible ? TabVisibility.Visible : TabVisibility.Hidden, tab.Focused, tab.Since);

    private static RoomMessage ToMessage(StreamMessage m) =>
        new(m.Offset, m.Id, m.FromUser, m.FromUser is null ? null : m.FromName ?? m.FromUser, m.FromTab, m.Text, m.PayloadJson, m.Timestamp, m.ClientId);
}
