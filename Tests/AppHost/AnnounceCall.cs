using System.Text.Json;
using Orleans;

namespace OrleansTabs.Tests.AppHost;

/// <summary>
/// Answers <c>team.announce</c> through the application's own grain: the tab's team announces <c>args.text</c> in its
/// news room, and the call's result is the announcement's offset there.
/// </summary>
public sealed class AnnounceCall(IGrainFactory grains) : ITabCallHandler
{
    public string Method => "team.announce";

    public async ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken)
    {
        if (args.ValueKind != JsonValueKind.Object
            || !args.TryGetProperty("text", out var text)
            || text.ValueKind != JsonValueKind.String
            || text.GetString() is not { Length: > 0 } announced)
        {
            throw new TabCallException("empty_announcement", "An announcement needs a text.");
        }

        // The authorizer lets only tabs with a team connect, so the claim is there.
        var team = tab.FindClaim(TeamRooms.TeamClaim)!;
        var offset = await grains.GetGrain<ITeamGrain>(team).AnnounceAsync(announced, tab.User);
        return new { room = TeamGrain.NewsRoom(team), offset };
    }
}
