using OrleansTabs.Peers;
using OrleansTabs.Peers.KestrelBroadcast;

// The bare-Kestrel limit: a broadcast server that speaks enough of the OrleansTabs protocol for the same load client,
// with rooms in memory, no actors and no durability.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<Sessions>();
builder.Services.AddSingleton<RoomRegistry>();
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
app.MapPost("/auth/login", (HttpContext context, Sessions sessions) => sessions.LoginAsync(context));
app.MapGet("/health/ready", () => Results.Ok());
app.Map("/ws/chat", ChatEndpoint.HandleAsync);
await app.RunAsync();
