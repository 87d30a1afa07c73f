using Orleans;

namespace OrleansTabs.Tests.AppHost;

/// <summary>The application's team grain: it injects <see cref="IOrleansTabs"/> from the silo's DI.</summary>
[GrainType("team")]
public sealed class TeamGrain(IOrleansTabs tabs) : Grain, ITeamGrain
{
    /// <summary>The room a team's announcements go to.</summary>
    public static string NewsRoom(string team) => TeamRooms.RoomOf(team, "news");

    private string Team => this.GetPrimaryKeyString();

    public Task<long> AnnounceAsync(string text, string by) =>
        tabs.PublishAsync(NewsRoom(Team), new Announcement(Team, text, by));

    public Task<PushReceipt> NotifyAsync(string user, string text) =>
        tabs.PushAsync(TabsTarget.User(user), new Announcement(Team, text, Team), PushDelivery.All);
}

/// <summary>What the team tells its members; tabs see it camel-cased as a message's <c>payload</c>.</summary>
public sealed record Announcement(string Team, string Text, string By);
