using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Json;
using OrleansTabs.Sessions;
using OrleansTabs.Users;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary><c>/auth/login</c>, <c>/auth/logout</c>, <c>/auth/me</c> (docs/protocol.md section 1).</summary>
internal static class AuthEndpoints
{
    /// <summary>The largest body a session request may have: a sign-in by name is a few dozen bytes.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>Maps the session endpoints.</summary>
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithBodyLimit(MaxBodyBytes);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapGet("/me", MeAsync);
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IGrainFactory grains, IOptions<AuthOptions> options, LoginRateLimit limit, SessionCookie tokens)
    {
        if (limit.Refusal(context) is { } tooMany)
        {
            return tooMany;
        }

        var host = await HostIdentity.AuthenticateAsync(context);
        var refused = host.Refusal ?? (host.Identity is null ? DevelopmentLoginRefusal(context, options.Value) : null);
        if (refused is not null)
        {
            return refused;
        }

        // The development sign-in by name uses the name as the subject (docs/protocol.md section 7.4).
        var signIn = host.Identity ?? (await ReadUserAsync(context) is { } name ? new SignIn(name, name, [], null) : null);
        if (signIn is null)
        {
            return Results.Problem(statusCode: 400, title: "Invalid user.", detail: "The body must be {\"user\":\"name\"} with a name of 1-64 printable characters.");
        }

        var secret = SessionIds.NewSecret();
        var handle = SessionIds.Handle(secret);
        var start = new SessionStart(signIn.User, signIn.Name, [.. signIn.Carried.Select(c => new CarriedClaim(c.Type, c.Value))], signIn.ExpiresAt);
        var info = await grains.Get<ISessionGrain>(handle).StartAsync(start);
        await grains.Get<IUserGrain>(signIn.User).AddSessionAsync(handle);

        // The cookie (and the token, the same sealed ticket) names the session and its user only: the claims for the
        // application's hooks stay with the session grain, which drops them when the sign-in's credentials expire.
        var identity = new ClaimsIdentity(
            [new Claim(SessionClaims.Subject, signIn.User), new Claim(SessionClaims.Name, signIn.Name), new Claim(SessionIds.SessionClaim, secret)],
            OrleansTabsDefaults.AuthenticationScheme,
            SessionClaims.Subject,
            SessionClaims.Role);
        var principal = new ClaimsPrincipal(identity);
        var properties = new AuthenticationProperties { IsPersistent = false };
        await context.SignInAsync(OrleansTabsDefaults.AuthenticationScheme, principal, properties);
        var token = tokens.Issue(principal);
        return Results.Ok(new { user = info.User, name = info.Name, session = info.Session, expiresAt = info.ExpiresAt, token });
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
        // A token is no ambient credential (a page of another site cannot make a browser send it), so only a cookie's
        // sign-out is held to the allowed origins.
        if (SessionCookie.AuthorizationToken(context.Request) is null && !OriginPolicy.AllowsStateChange(context.Request, sockets.Value))
        {
            return Results.Problem(statusCode: 403, title: "Cross-site sign-out refused.", detail: $"Sign out from an origin in {SocketOptions.SectionName}:AllowedOrigins.");
        }

        var scope = context.Request.Query["scope"].ToString();
        if (scope is not ("" or "session" or "user"))
        {
            return Results.Problem(statusCode: 400, title: "Invalid scope.", detail: "'scope' is 'session' (the default) or 'user' (sign out everywhere).");
        }

        var signedIn = await SessionPrincipalAsync(context);
        if (SessionIds.HandleOf(signedIn) is { } handle)
        {
            await grains.Get<ISessionGrain>(handle).LogoutAsync();
            if (scope == "user" && signedIn.Identity?.Name is { Length: > 0 } user)
            {
                // Every device: every other live session of the user ends like this one (docs/protocol.md section 6.6).
                await grains.Get<IUserGrain>(user).LogoutAllAsync();
            }
        }

        await context.SignOutAsync(OrleansTabsDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    private static async Task<IResult> MeAsync(HttpContext context, IGrainFactory grains)
    {
        var handle = SessionIds.HandleOf(await SessionPrincipalAsync(context));
        var view = handle is null ? null : await grains.Get<ISessionGrain>(handle).DescribeAsync();
        if (view is null)
        {
            if (handle is not null)
            {
                await context.SignOutAsync(OrleansTabsDefaults.AuthenticationScheme);
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

    /// <summary>
    /// The request's session principal: the session scheme reads <c>Authorization: Session &lt;token&gt;</c> when the
    /// request carries one (docs/protocol.md section 7.5), else the session cookie; an empty principal if neither names a session.
    /// </summary>
    private static async Task<ClaimsPrincipal> SessionPrincipalAsync(HttpContext context) =>
        (await context.AuthenticateAsync(OrleansTabsDefaults.AuthenticationScheme)).Principal ?? new ClaimsPrincipal();

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
            // A string that is not valid Unicode throws when read: such a body is refused like any other bad name.
            if (body.RootElement.ValueKind == JsonValueKind.Object
                && !JsonText.HasInvalidString(body.RootElement)
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
