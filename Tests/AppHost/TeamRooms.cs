namespace OrleansTabs.Tests.AppHost;

/// <summary>
/// The application's rules: a tab connects only with a <c>team</c> claim, and joins and sends only in its team's rooms
/// (<c>{team}.*</c>).
/// </summary>
public sealed class TeamRooms : ITabsAuthorizer
{
    /// <summary>The claim that names the signed-in user's team (carried with the session by <see cref="TeamApp"/>).</summary>
    public const string TeamClaim = "team";

    public ValueTask<TabsDecision> AuthorizeConnectAsync(TabContext tab, CancellationToken cancellationToken) =>
        tab.FindClaim(TeamClaim) is { Length: > 0 }
            ? TabsDecision.AllowAsync
            : ValueTask.FromResult(TabsDecision.Deny("Only members of a team may connect."));

    public ValueTask<TabsDecision> AuthorizeJoinAsync(TabContext tab, string room, CancellationToken cancellationToken) => OwnTeamsRoom(tab, room);

    public ValueTask<TabsDecision> AuthorizeSendAsync(TabContext tab, string room, CancellationToken cancellationToken) => OwnTeamsRoom(tab, room);

    /// <summary>The room of a team: <c>{team}.{name}</c>.</summary>
    public static string RoomOf(string team, string name) => $"{team}.{name}";

    private static ValueTask<TabsDecision> OwnTeamsRoom(TabContext tab, string room) =>
        tab.FindClaim(TeamClaim) is { Length: > 0 } team && room.StartsWith(team + ".", StringComparison.Ordinal)
            ? TabsDecision.AllowAsync
            : ValueTask.FromResult(TabsDecision.Deny("That room belongs to another team."));
}
