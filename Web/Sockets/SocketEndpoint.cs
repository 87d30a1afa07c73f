using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Web.Auth;
using OrleansTabs.Web.Protocol;

namespace OrleansTabs.Web.Sockets;

/// <summary>
/// <c>GET /ws/{channel}</c>: checks a connect before the upgrade in the order of PROTOCOL.md (404 route, 400 parameters,
/// 403 origin, 401 session), then upgrades, registers the socket with its tab grain and runs it.
/// </summary>
public static partial class SocketEndpoint
{
    /// <summary>Maps the WebSocket route prefixes.</summary>
    public static IEndpointRouteBuilder MapTabSockets(this IEndpointRouteBuilder app)
    {
        // One catch-all route so that every other prefix under /ws/ gets the same 404 problem body.
        app.Map("/ws/{**channel}", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(string? channel, HttpContext context, IGrainFactory grains, IOptions<SocketOptions> options, ILoggerFactory loggers)
    {
        if (channel is null || !Channels.IsKnown(channel))
        {
            return Results.Problem(statusCode: 404, title: "Unknown channel.", detail: "WebSocket channels are /ws/chat and /ws/dashboard.");
        }

        var query = context.Request.Query;
        string? tab = query["tab"], instance = query["instance"], version = query["v"];
        if (!Identifiers.IsTabId(tab) || !Identifiers.IsTabId(instance) || version != "1")
        {
            return Results.Problem(statusCode: 400, title: "Invalid connect parameters.", detail: ParameterProblem(tab, instance, version));
        }

        if (!OriginAllowed(context.Request, options.Value))
        {
            return Results.Problem(statusCode: 403, title: "Origin not allowed.", detail: $"Add the origin to {SocketOptions.SectionName}:AllowedOrigins to allow it.");
        }

        var handle = SessionIds.HandleOf(context.User);
        var session = handle is null ? null : await grains.GetGrain<ISessionGrain>(handle).ValidateAsync();
        if (session is null)
        {
            return Results.Problem(statusCode: 401, title: "Not signed in.", detail: "A WebSocket needs a live session: sign in with POST /auth/login.");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.Problem(statusCode: 426, title: "WebSocket upgrade required.", detail: "Connect with a WebSocket client.");
        }

        var address = new TabAddress(session.Session, tab!, channel);
        await RunAsync(context, address, instance!, session.User, grains, options.Value, loggers.CreateLogger(typeof(SocketEndpoint)));
        return Results.Empty;
    }

    private static async Task RunAsync(HttpContext context, TabAddress address, string instance, string user, IGrainFactory grains, SocketOptions options, ILogger logger)
    {
        var services = context.RequestServices;
        var frontEnd = services.GetRequiredService<FrontEndService>();
        var connections = services.GetRequiredService<LocalConnections>();
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        var clock = services.GetRequiredService<TimeProvider>();
        var stream = (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>() as CoalescingUpgradeFeature)?.Stream;
        var socket = new TabSocket(webSocket, stream, address, instance, user, options, clock, services.GetRequiredService<FrontEndMetrics>(), logger);
        var grain = grains.GetGrain<ITabGrain>(address.ToGrainKey());
        var protocol = new TabProtocol(socket, grain, grains, connections, options, clock, logger);
        connections.Add(socket);
        // From here the tab grain may know this connection (even a connect that timed out here may land there), so it
        // is always told when the socket goes; for a connection that is not its current one that is a no-op.
        var registered = true;
        try
        {
            try
            {
                var request = new ConnectRequest(instance, new ConnectionRef(frontEnd.Id, socket.ConnectionId, frontEnd.Reference), user, options.Heartbeat);
                var result = await grain.ConnectAsync(request).WaitAsync(options.HandshakeTimeout, context.RequestAborted);
                switch (result.Outcome)
                {
                    case ConnectOutcome.Duplicate:
                        socket.Close(CloseCodes.DuplicateTab, CloseCodes.Reason("duplicate_tab"));
                        break;
                    case ConnectOutcome.SessionEnded:
                        socket.Close(CloseCodes.SessionEnded, CloseCodes.Reason("session_ended"));
                        break;
                    default:
                        socket.Accept(ServerFrames.Welcome(address, instance, user, options.Heartbeat, result.Streams));
                        await protocol.StartAsync(result);
                        break;
                }
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                LogSocketFailed(logger, ex, socket.ConnectionId);
                socket.Close(CloseCodes.InternalError, CloseCodes.Reason("internal"));
            }

            var running = socket.RunAsync(protocol.OnTextAsync, context.RequestAborted);
            if (registered && await Task.WhenAny(running, socket.CloseRequested) != running)
            {
                // The tab stops being "connected" when the close starts, not after a handshake a dead peer never answers.
                registered = false;
                await DisconnectAsync(grain, socket, logger);
            }

            await running;
        }
        finally
        {
            connections.Remove(socket);
            if (registered)
            {
                await DisconnectAsync(grain, socket, logger);
            }
        }
    }

    private static async Task DisconnectAsync(ITabGrain grain, TabSocket socket, ILogger logger)
    {
        try
        {
            await grain.DisconnectAsync(socket.ConnectionId, socket.ClosedByPeerCleanly);
        }
        catch (Exception ex)
        {
            // The tab grain treats the connection as stale after one heartbeat anyway.
            LogSocketFailed(logger, ex, socket.ConnectionId);
        }
    }

    private static bool OriginAllowed(HttpRequest request, SocketOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            // Not a browser: origin checks guard against cross-site pages, and only browsers send Origin.
            return true;
        }

        if (options.AllowedOrigins.Length == 0)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        }

        return options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }

    private static string ParameterProblem(string? tab, string? instance, string? version)
    {
        if (!Identifiers.IsTabId(tab))
        {
            return "'tab' must be 8-64 characters of [A-Za-z0-9_-].";
        }

        if (!Identifiers.IsTabId(instance))
        {
            return "'instance' must be 8-64 characters of [A-Za-z0-9_-].";
        }

        return $"'v' must be 1 (this server speaks protocol version 1), but is '{version}'.";
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Socket {ConnectionId} failed")]
    private static partial void LogSocketFailed(ILogger logger, Exception exception, string connectionId);
}
