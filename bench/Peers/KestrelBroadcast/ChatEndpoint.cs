using OrleansTabs.Peers;

namespace OrleansTabs.Peers.KestrelBroadcast;

/// <summary><c>GET /ws/chat?tab=&amp;instance=&amp;v=1</c>: checks the session, upgrades and runs one connection.</summary>
public static class ChatEndpoint
{
    /// <summary>Handles one connect.</summary>
    public static async Task HandleAsync(HttpContext context, Sessions sessions, RoomRegistry rooms)
    {
        var tab = context.Request.Query["tab"].ToString();
        var instance = context.Request.Query["instance"].ToString();
        if (tab.Length is < 1 or > 64 || instance.Length is < 1 or > 64 || context.Request.Query["v"] != "1")
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (await sessions.UserOfAsync(context.Request) is not { } user)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new ChatConnection(socket, user, tab, rooms);
        connection.Send(Frames.Welcome(tab, instance, user));
        await connection.RunAsync(context.RequestAborted);
    }
}
