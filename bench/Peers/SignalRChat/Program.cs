using OrleansTabs.Peers;
using OrleansTabs.Peers.SignalRChat;

// A SignalR chat as a team would write it: one hub, JSON protocol, a group per room, offsets counted in memory.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalR();
builder.Services.AddSingleton<Sessions>();
builder.Services.AddSingleton<RoomOffsets>();
var app = builder.Build();
app.UseWebSockets();
app.MapPost("/auth/login", (HttpContext context, Sessions sessions) => sessions.LoginAsync(context));
app.MapGet("/health/ready", () => Results.Ok());
app.UseWhen(c => c.Request.Path.StartsWithSegments("/hub"), hub => hub.Use(async (context, next) =>
{
    // A hub connection needs a signed-in session, as an OrleansTabs socket does.
    if (context.RequestServices.GetRequiredService<Sessions>().UserOf(context.Request) is not { } user)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return;
    }

    context.Items[ChatHub.UserKey] = user;
    await next(context);
}));
app.MapHub<ChatHub>("/hub");
await app.RunAsync();
