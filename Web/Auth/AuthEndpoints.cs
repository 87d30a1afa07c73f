using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OrleansTabs.Sessions;
using OrleansTabs.Users;
using OrleansTabs.Web.Protocol;
using OrleansTabs.Web.Sockets;

namespace OrleansTabs.Web.Auth;

/// <summary><c>/auth/login</c>, <c>/auth/logout</c>, <c>/auth/me</c> (docs/protocol.md section 1).</summary>
public static class AuthEndpoints
{
    /// <summary>The largest body a session request may have: a sign-in by name is a few dozen bytes.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>Maps the session endpoints.</summary>
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithBodyLimit(MaxBodyBytes);
        auth.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimit.PolicyName);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapGet("/me", MeAsync);
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IGrainFactory grains, IOptions<AuthOptions> options)
    {
        var host = await HostIdentity.AuthenticateAsync(context);
        var refused = host.Refusal ?? (host.User is null ? DevelopmentLoginRefusal(context, options.Value) : null);
        if (refused is not null)
        {
            return refused;
        }

        var user = host.User ?? await ReadUserAsync(context);
        if (user is null)
        {
            return Results.Problem(statusCode: 400, title: "Invalid user.", detail: "The body must be {\"user\":\"name\"} with a name of 1-64 printable characters.");
        }

        var secret = SessionIds.NewSecret();
        var handle = SessionIds.Handle(secret);
        var info = await grains.Get<ISessionGrain>(handle).StartAsync(user);
        await grains.Get<IUserGrain>(user).AddSessionAsync(handle);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user), new Claim(SessionIds.SessionClaim, secret), .. (host.Carried ?? [])],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        return Results.Ok(new { user = info.User, session = info.Session, expiresAt = info.ExpiresAt });
    }

    /// <summary>Why a request without a host identity cannot sign in by name, or null if it can.</summary>
    private static IResult? DevelopmentLoginRefusal(HttpContext context, AuthOptions options)
    {
        if (!options.DevelopmentLogin)
        {
            return context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false
                ? Results.Problem(statusCode: 401, title: "Not signed in.", detail: "Send credentials that the host's authentication accepts (e.g. a bearer token).")
                : Results.Problem(statusCode: 404, title: "Development sign-in is switched off.", detail: $"Set {AuthOptions.SectionName}:DevelopmentLogin to true to enable it.");
        }

        return context.Request.HasJsonContentType()
            ? null
            : Results.Problem(statusCode: 415, title: "Expected a JSON body.", detail: "Send Content-Type: application/json with {\"user\":\"name\"}.");
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, IGrainFactory grains, IOptions<SocketOptions> sockets)
    {
        if (!OriginPolicy.AllowsStateChange(context.Request, sockets.Value))
        {
            return Results.Problem(statusCode: 403, title: "Cross-site sign-out refused.", detail: $"Sign out from an origin in {SocketOptions.SectionName}:AllowedOrigins.");
        }

        var scope = context.Request.Query["scope"].ToString();
        if (scope is not ("" or "session" or "user"))
        {
            return Results.Problem(statusCode: 400, title: "Invalid scope.", detail: "'scope' is 'session' (the default) or 'user' (sign out everywhere).");
        }

        if (SessionIds.HandleOf(context.User) is { } handle)
        {
            await grains.Get<ISessionGrain>(handle).LogoutAsync();
            if (scope == "user" && context.User.Identity?.Name is { Length: > 0 } user)
            {
                // Every device: every other live session of the user ends like this one (docs/protocol.md section 6.6).
                await grains.Get<IUserGrain>(user).LogoutAllAsync();
            }
        }

        await context.SignOutAsync();
        return Results.NoContent();
    }

    private static async Task<IResult> MeAsync(HttpContext context, IGrainFactory grains)
    {
        var handle = SessionIds.HandleOf(context.User);
        var view = handle is null ? null : await grains.Get<ISessionGrain>(handle).DescribeAsync();
        if (view is null)
        {
            if (handle is not null)
            {
                await context.SignOutAsync();
            }

            return Results.Problem(statusCode: 401, title: "Not signed in.", detail: "The session is missing, expired or ended.");
        }

        return Results.Ok(new
        {
            user = view.Info.User,
            session = view.Info.Session,
            expiresAt = view.Info.ExpiresAt,
            tabs = view.Tabs.Select(TabJson),
        });
    }

    /// <summary>A tab of <c>/auth/me</c>; <c>lastClose</c> only once a connection of the tab has ended (docs/protocol.md section 6.5).</summary>
    private static Dictionary<string, object?> TabJson(TabEntry tab)
    {
        var json = new Dictionary<string, object?>
        {
            ["tab"] = tab.Tab,
            ["channel"] = tab.Channel,
            ["connected"] = tab.Connected,
            ["frontEnd"] = tab.FrontEnd,
            ["connectedAt"] = tab.ConnectedAt,
        };
        if (tab.LastClose is { } close)
        {
            json["lastClose"] = new { code = close.Code, reason = close.Reason, at = close.At };
        }

        return json;
    }

    private static async Task<string?> ReadUserAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("user", out var user)
                && user.ValueKind == JsonValueKind.String
                && UserNames.Valid(user.GetString()) is { } name)
            {
                return name;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
