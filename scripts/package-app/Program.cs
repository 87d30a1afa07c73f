using System.Text.Json;
using OrleansTabs;

// Written against the .NET API only (docs/sdk.md): a silo and a front-end in one host, an authorizer, a call handler,
// an endpoint and a grain of the application's own that use IOrleansTabs.
var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379";
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddOrleansTabs(redis, options => options.Sessions.SlidingExpiration = TimeSpan.FromHours(1)));
builder.Services.AddAuthentication("Cookies").AddCookie("Cookies");   // the application's own sign-in
builder.Services.AddOrleansTabs(options =>
    {
        options.CarriedClaims.Add("team");
        options.SignInSchemes.Add("Cookies");
    })
    .AddAuthorizer<TeamRooms>()
    .AddCallHandler<UpperCase>();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseWebSockets();
app.MapOrleansTabs();
app.MapPost("/notify/{user}", async (string user, IOrleansTabs tabs, CancellationToken cancellationToken) =>
{
    var receipt = await tabs.PushAsync(TabsTarget.User(user), new { text = "hello" }, PushDelivery.Focused, cancellationToken: cancellationToken);
    return Results.Ok(new { receipt.Delivered, receipt.Queued });
});
app.MapPost("/rooms/{room}/members/{session}", async (string room, string session, IOrleansTabs tabs) =>
{
    await tabs.JoinAsync(TabsTarget.Session(session), room);
    return Results.NoContent();
});
app.MapGet("/rooms/{room}", async (string room, IOrleansTabs tabs) =>
{
    IReadOnlyList<PresentUser> present = await tabs.PresenceAsync(room);
    IReadOnlyList<RoomMessage> history = await tabs.HistoryAsync(room, before: null, limit: 20);
    return Results.Ok(new { present = present.Count, messages = history.Count });
});
await app.RunAsync();

/// <summary>Members of a team join its rooms (team.*) and send there.</summary>
internal sealed class TeamRooms : ITabsAuthorizer
{
    public ValueTask<TabsDecision> AuthorizeJoinAsync(TabContext tab, string room, CancellationToken cancellationToken) =>
        tab.Claims.Any(c => c.Type == "team" && room.StartsWith(c.Value + ".", StringComparison.Ordinal))
            ? TabsDecision.AllowAsync
            : TabsDecision.DenyAsync("That room belongs to another team.");

    public ValueTask<TabsDecision> AuthorizeSendAsync(TabContext tab, string room, CancellationToken cancellationToken) =>
        ValueTask.FromResult(tab.Channel == "chat" ? TabsDecision.Allow : TabsDecision.Deny());
}

/// <summary>Answers <c>call</c> frames of the method <c>text.upper</c>.</summary>
internal sealed class UpperCase : ITabCallHandler
{
    public string Method => "text.upper";

    public ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? ValueTask.FromResult<object?>(new { text = text.GetString()!.ToUpperInvariant(), by = tab.User })
            : throw new TabCallException("bad_args", "args.text must be a string.");
}

/// <summary>A grain of the application's own that publishes into a room.</summary>
public interface IAnnouncerGrain : IGrainWithStringKey
{
    Task<long> AnnounceAsync(string text);
}

/// <summary>Publishes into the room named by its key.</summary>
public sealed class AnnouncerGrain(IOrleansTabs tabs) : Grain, IAnnouncerGrain
{
    public Task<long> AnnounceAsync(string text) => tabs.PublishAsync(this.GetPrimaryKeyString(), new { text }, idempotencyKey: null);
}
