using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;
using OrleansTabs.AspNetCore.Hooks;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// <c>GET /ws/{channel}</c>: checks a connect before the upgrade in the order of docs/protocol.md (404 route, 503 draining,
/// 400 parameters, 403 origin, 401 session, 403 the application's authorizer), then upgrades, registers the socket with its tab grain and
/// runs it.
/// </summary>
internal static partial class SocketEndpoint
{
    /// <summary>
    /// Maps the WebSocket route prefixes. A plain request delegate over singletons resolved once: an upgraded request
    /// lives as long as its socket, so nothing it does not need is created for it (no request service scope, no
    /// parameter binding); its session comes from the cookie (<see cref="SessionCookie"/>), not the authentication
    /// middleware.
    /// </summary>
    public static IEndpointRouteBuilder MapTabSockets(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var shared = new SocketServices(
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<IOptions<SocketOptions>>().Value,
            services.GetRequiredService<SessionCookie>(),
            services.GetRequiredService<FrontEndService>(),
            services.GetRequiredService<LocalConnections>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<FrontEndMetrics>(),
            services.GetRequiredService<FrontEndDrain>(),
            new TabHooks(services.GetServices<ITabsAuthorizer>(), services.GetServices<ITabCallHandler>()),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SocketEndpoint)));

        // One catch-all route so that every other prefix under /ws/ gets the same 404 problem body.
        app.Map("/ws/{**channel}", context => HandleAsync(context, shared));
        return app;
    }

    /// <summary>
    /// Refuses a connect in the contract's order (404 route, 503 draining, 400 parameters, 403 origin, 401 session, 403 the application's
    /// authorizer) or runs it. Not an async method itself: only the socket's own state machine lives as long as the socket.
    /// </summary>
    private static Task HandleAsync(HttpContext context, SocketServices shared)
    {
        var channel = context.GetRouteValue("channel") as string;
        if (channel is null || !Channels.IsKnown(channel))
        {
            shared.Metrics.ConnectRefused(ConnectRefusals.Route);
            return Results.Problem(statusCode: 404, title: "Unknown channel.", detail: "WebSocket channels are /ws/chat and /ws/dashboard.").ExecuteAsync(context);
        }

        if (shared.Drain.Draining)
        {
            shared.Metrics.ConnectRefused(ConnectRefusals.Draining);
            return DrainingAsync(context);
        }

        var query = context.Request.Query;
        string? tab = query["tab"], instance = query["instance"], version = query["v"];
        if (!Identifiers.IsTabId(tab) || !Identifiers.IsTabId(instance) || version != "1")
        {
            shared.Metrics.ConnectRefused(ConnectRefusals.Parameters);
            return Results.Problem(statusCode: 400, title: "Invalid connect parameters.", detail: ParameterProblem(tab, instance, version)).ExecuteAsync(context);
        }

        if (!OriginPolicy.Allows(context.Request, shared.Options))
        {
            shared.Metrics.ConnectRefused(ConnectRefusals.Origin);
            return Results.Problem(statusCode: 403, title: "Origin not allowed.", detail: $"Add the origin to {SocketOptions.SectionName}:AllowedOrigins to allow it.").ExecuteAsync(context);
        }

        if (shared.Cookie.Read(context) is not { } session)
        {
            shared.Metrics.ConnectRefused(ConnectRefusals.NotSignedIn);
            return NotSignedIn().ExecuteAsync(context);
        }

        var address = new TabAddress(session.Handle, tab!, channel);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return NotAnUpgradeAsync(context, address, shared);
        }

        // Without an authorizer a connect asks nothing more, and the socket's state machine holds nothing more.
        return shared.Hooks.Authorizer is { } authorizer
            ? AuthorizeThenRunAsync(context, address, instance!, session, authorizer, shared)
            : RunAsync(context, address, instance!, session, shared, null);
    }

    private static async Task AuthorizeThenRunAsync(HttpContext context, TabAddress address, string instance, SessionCookie.SignedIn session, ITabsAuthorizer authorizer, SocketServices shared)
    {
        if (await AuthorizeConnectAsync(context, address, authorizer, shared) is { } tab)
        {
            await RunAsync(context, address, instance, session, shared, tab);
        }
    }

    /// <summary>Not an upgrade: still refused in the contract's order, 401 and the authorizer's 403 before anything else.</summary>
    private static async Task NotAnUpgradeAsync(HttpContext context, TabAddress address, SocketServices shared)
    {
        if (shared.Hooks.Authorizer is { } authorizer)
        {
            if (await AuthorizeConnectAsync(context, address, authorizer, shared) is not null)
            {
                await UpgradeRequired().ExecuteAsync(context);
            }

            return;
        }

        var result = await shared.Grains.Get<ISessionGrain>(address.Session).ValidateAsync() is null ? NotSignedIn() : UpgradeRequired();
        await result.ExecuteAsync(context);
    }

    /// <summary>
    /// Asks the application's authorizer about a connect, with the tab's context read from its session (the one grain call
    /// a connect makes before its registration, only when there is an authorizer). Null when the connect was refused
    /// (401 for a session that is not live, 403 for a denial, 500 for a failed authorizer) and the response written.
    /// </summary>
    private static async Task<TabContext?> AuthorizeConnectAsync(HttpContext context, TabAddress address, ITabsAuthorizer authorizer, SocketServices shared)
    {
        IResult refusal;
        try
        {
            var session = shared.Grains.Get<ISessionGrain>(address.Session);
            var tab = await GrainRetry.CallAsync((session, address), static s => TabHooks.ReadContextAsync(s.session, s.address), shared.Options.CallAttemptTimeout, shared.Options.HandshakeTimeout, shared.Clock, shared.Logger, address.Tab, "context", context.RequestAborted);
            if (tab is null)
            {
                shared.Metrics.ConnectRefused(ConnectRefusals.SessionEnded);
                refusal = NotSignedIn();
            }
            else if (await authorizer.AuthorizeConnectAsync(tab, context.RequestAborted) is { IsAllowed: false } decision)
            {
                shared.Metrics.ConnectRefused(ConnectRefusals.Forbidden);
                refusal = Forbidden(decision.Message);
            }
            else
            {
                return tab;
            }
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogConnectHookFailed(shared.Logger, ex, address.Tab);
            refusal = Results.Problem(statusCode: 500, title: "The connect could not be checked.", detail: "The application's authorizer failed; connect again later.");
        }

        await refusal.ExecuteAsync(context);
        return null;
    }

    /// <summary>
    /// 503 before the upgrade while the front-end drains: the client (or a proxy's next upstream) connects to another
    /// front-end, with resume, at once.
    /// </summary>
    private static Task DrainingAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The front-end is draining.",
            detail: "This front-end is stopping and takes no new sockets: connect to another front-end, with resume.",
            extensions: new Dictionary<string, object?> { ["reason"] = "draining" }).ExecuteAsync(context);
    }

    private static IResult UpgradeRequired() =>
        Results.Problem(statusCode: 426, title: "WebSocket upgrade required.", detail: "Connect with a WebSocket client.");

    private static IResult Forbidden(string? message) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden.",
            detail: message ?? "The application does not allow this tab to connect.",
            extensions: new Dictionary<string, object?> { ["reason"] = ErrorCodes.Forbidden });

    private static IResult NotSignedIn() =>
        Results.Problem(statusCode: 401, title: "Not signed in.", detail: "A WebSocket needs a live session: sign in with POST /auth/login.");

    private static IResult TooManyTabs() =>
        Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many tabs.",
            detail: "This session has as many tabs as it may (OrleansTabs:Sessions:MaxTabsPerSession). A tab stops counting when its page closes, or when its retention ends after its socket was lost; reconnect then.",
            extensions: new Dictionary<string, object?> { ["limit"] = "tabs_per_session" });

    /// <summary>
    /// Registers the socket with its tab grain before the upgrade (the grain checks the session as it attaches the tab, so
    /// a connect is one grain call and an ended session is refused with 401, never upgraded), then upgrades, welcomes and
    /// runs the socket until it ends. <paramref name="tab"/> is the tab's context when the authorizer read it.
    /// </summary>
    private static async Task RunAsync(HttpContext context, TabAddress address, string instance, SessionCookie.SignedIn session, SocketServices shared, TabContext? tab)
    {
        var (grains, options, connections, clock, logger) = (shared.Grains, shared.Options, shared.Connections, shared.Clock, shared.Logger);
        var socket = new TabSocket(address, instance, session.User, options, clock, shared.Metrics, logger) { Name = session.Name };
        var grain = grains.Get<ITabGrain>(address.ToGrainKey());
        var protocol = new TabProtocol(socket, grain, grains, connections, options, shared.Metrics, clock, logger)
        {
            Hooks = shared.Hooks,
            Context = tab,
        };

        // From here the tab grain may know this connection (even a connect that timed out here may land there), so it
        // is always told when the socket goes; for a connection that is not its current one that is a no-op.
        connections.Add(socket);
        var registered = true;
        try
        {
            var result = await ConnectAsync(context, socket, grain, shared.FrontEnd, options, clock, logger);
            switch (result?.Outcome)
            {
                case ConnectOutcome.SessionEnded:
                    shared.Metrics.ConnectRefused(ConnectRefusals.SessionEnded);
                    await NotSignedIn().ExecuteAsync(context);
                    return;
                case ConnectOutcome.TooManyTabs:
                    shared.Metrics.ConnectRefused(ConnectRefusals.TooManyTabs);
                    await TooManyTabs().ExecuteAsync(context);
                    return;
            }

            // Over the coalescing stream the front-end's sweep pings idle sockets (TabSocket.KeepAlive): no socket runs a
            // keep-alive timer of its own (the WebSocket's fires every quarter of the shorter of interval and timeout).
            var swept = context.Features.Get<IHttpUpgradeFeature>() is CoalescingUpgradeFeature;
            using var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = swept ? TimeSpan.Zero : options.KeepAliveInterval,
                KeepAliveTimeout = swept ? Timeout.InfiniteTimeSpan : options.KeepAliveTimeout,
            });
            socket.Attach(webSocket, (context.Features.Get<IHttpUpgradeFeature>() as CoalescingUpgradeFeature)?.Stream);
            ReleaseUpgradeRequest(context);
            await StartAsync(socket, protocol, result, options);

            // Held by this method's state machine for the socket's lifetime otherwise (the heads of every stream).
            result = null;

            var running = socket.RunAsync(protocol.OnTextAsync, context.RequestAborted);
            if (await Task.WhenAny(running, socket.CloseRequested) != running)
            {
                // The tab stops being "connected" when the close starts, not after a handshake a dead peer never answers.
                registered = false;
                await DisconnectAsync(grain, socket, clock, logger);
            }

            await running;
        }
        finally
        {
            connections.Remove(socket);
            if (registered)
            {
                await DisconnectAsync(grain, socket, clock, logger);
            }
        }
    }

    /// <summary>
    /// An upgraded request lives as long as its socket, and with it everything parsed from it: the cookie header and its
    /// parsed copy (the session cookie is long, and kept twice), the query and every other header a browser
    /// sends, and what a host's authentication left on it. Nothing reads them once the socket runs, so they go (Host stays
    /// for the request's closing log line).
    /// </summary>
    private static void ReleaseUpgradeRequest(HttpContext context)
    {
        var request = context.Request;
        var host = request.Headers.Host;
        request.Headers.Clear();
        request.Headers.Host = host;
        request.Query = QueryCollection.Empty;
        context.Features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(context.Features));

        // What a host's authentication middleware left on the request (its principal, its results and tickets), when the
        // host runs it in front of the socket routes: the socket's session is its own.
        context.Features.Set<IAuthenticateResultFeature>(null);
        context.Features.Set<IHttpAuthenticationFeature>(null);

        // Read once so that the request's cached feature references move to the empty ones and let the parsed go.
        _ = request.Cookies;
        _ = context.User;
    }

    /// <summary>
    /// The tab grain's verdict on the connect, or null if it could not be had within the handshake timeout (the socket is
    /// then closed with 1011). An attempt with no answer is made again (<see cref="GrainRetry"/>): the registration is
    /// idempotent per connection id, so an attempt that did land after all changes nothing when the next one lands.
    /// </summary>
    private static async Task<ConnectResult?> ConnectAsync(HttpContext context, TabSocket socket, ITabGrain grain, FrontEndService frontEnd, SocketOptions options, TimeProvider clock, ILogger logger)
    {
        try
        {
            var request = new ConnectRequest(socket.Instance, new ConnectionRef(frontEnd.Id, socket.ConnectionId, frontEnd.Reference), socket.User, options.Heartbeat, socket.Name);
            return await GrainRetry.CallAsync((grain, request), static s => s.grain.ConnectAsync(s.request), options.CallAttemptTimeout, options.HandshakeTimeout, clock, logger, socket.ConnectionId, "connect", context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogSocketFailed(logger, ex, socket.ConnectionId);
            return null;
        }
    }

    private static async Task StartAsync(TabSocket socket, TabProtocol protocol, ConnectResult? result, SocketOptions options)
    {
        switch (result?.Outcome)
        {
            case null:
                socket.Close(CloseReason.InternalError);
                break;
            case ConnectOutcome.Duplicate:
                socket.Close(CloseReason.DuplicateTab);
                break;
            default:
                socket.Accept(ServerFrames.Welcome(socket.Address, socket.Instance, socket.User, socket.Name, options.Heartbeat, result.Streams));
                await protocol.StartAsync(result);
                break;
        }
    }

    private static async Task DisconnectAsync(ITabGrain grain, TabSocket socket, TimeProvider clock, ILogger logger)
    {
        try
        {
            await grain.DisconnectAsync(socket.ConnectionId, socket.ClosedByPeerCleanly, socket.Ending(clock.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // The tab grain treats the connection as stale after one heartbeat anyway.
            LogSocketFailed(logger, ex, socket.ConnectionId);
        }
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

    /// <summary>What every socket of the front-end shares, resolved once when the route is mapped.</summary>
    private sealed record SocketServices(
        IGrainFactory Grains,
        SocketOptions Options,
        SessionCookie Cookie,
        FrontEndService FrontEnd,
        LocalConnections Connections,
        TimeProvider Clock,
        FrontEndMetrics Metrics,
        FrontEndDrain Drain,
        TabHooks Hooks,
        ILogger Logger);
}
