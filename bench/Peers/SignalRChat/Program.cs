using OrleansTabs.Peers;
using OrleansTabs.Peers.SignalRChat;
using StackExchange.Redis;

// A SignalR chat as a team would write it: one hub, JSON protocol, a group per room, offsets counted in memory.
// `--Redis host:port` scales it out as SignalR's documentation does: the Redis backplane (AddStackExchangeRedis), and
// the sessions in the same redis-server, so that any server of the deployment takes any tab of a session.
var builder = WebApplication.CreateBuilder(args);
var signalR = builder.Services.AddSignalR();
builder.Services.AddSingleton<Sessions>();
builder.Services.AddSingleton<RoomOffsets>();
if (builder.Configuration["Redis"] is { Length: > 0 } redis)
{
    signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = RedisChannel.Literal("peer"));
    var sessions = await ConnectionMultiplexer.ConnectAsync(redis);
    builder.Services.AddSingleton<IConnectionMultiplexer>(sessions);
    builder.Services.AddSingleton<ISharedSessions, RedisSessions>();
}

var app = builder.Build();
app.UseWebSockets();
app.MapPost("/auth/login", (HttpContext context, Sessions sessions) => sessions.LoginAsync(context));
app.MapGet("/health/ready", () => Results.Ok());
app.UseWhen(c => c.Request.Path.StartsWithSegments("/hub"), hub => hub.Use(async (context, next) =>
{
    // A hub connection needs a signed-in session, as an OrleansTabs socket does.
    if (await context.RequestServices.GetRequiredService<Sessions>().UserOfAsync(context.Request) is not { } user)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return;
    }

    context.Items[ChatHub.UserKey] = user;
    await next(context);
}));
app.MapHub<ChatHub>("/hub");
await app.RunAsync();
