using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>
/// Reads a request's session the way the cookie scheme does (its cookie manager, so chunked cookies too; its ticket
/// format; its expiry), from the session cookie or from a session token (docs/protocol.md section 7.5: the same sealed
/// ticket, for clients that cannot send the cookie), and keeps only what a socket needs. The upgrade does not go through
/// the authentication middleware for this: an upgraded request lives as long as its socket, and with it everything
/// that middleware leaves on it (the scheme's handler, authentication results and tickets, the principal and its
/// claims), for values read once.
/// </summary>
internal sealed class SessionCookie(IOptionsMonitor<CookieAuthenticationOptions> options, TimeProvider clock)
{
    /// <summary>The query parameter of a socket upgrade that carries a session token.</summary>
    public const string TokenParameter = "access_token";

    /// <summary>The <c>Authorization</c> scheme of a session token on the HTTP endpoints.</summary>
    public const string AuthorizationScheme = "Session";

    private CookieAuthenticationOptions Options => options.Get(OrleansTabsDefaults.AuthenticationScheme);

    /// <summary>
    /// The session handle and user of the request: its <c>access_token</c> if it has one, else its session cookie; null if
    /// neither is there, decrypts, is unexpired and names a session. Whether the session is live is the session grain's to say.
    /// </summary>
    public SignedIn? Read(HttpContext context)
    {
        var token = context.Request.Query[TokenParameter].ToString();
        if (token.Length == 0)
        {
            var cookieOptions = Options;
            token = cookieOptions.CookieManager.GetRequestCookie(context, cookieOptions.Cookie.Name!) ?? "";
        }

        return Principal(token) is { } principal
            && SessionIds.HandleOf(principal) is { } handle
            && principal.Identity?.Name is { Length: > 0 } user
            ? new SignedIn(handle, user, principal.FindFirst(SessionClaims.Name)?.Value ?? user)
            : null;
    }

    /// <summary>The session token of a signed-in principal: its ticket, sealed as the cookie seals it.</summary>
    public string Issue(ClaimsPrincipal principal)
    {
        var properties = new AuthenticationProperties { IssuedUtc = clock.GetUtcNow(), ExpiresUtc = clock.GetUtcNow() + Options.ExpireTimeSpan };
        return Options.TicketDataFormat.Protect(new AuthenticationTicket(principal, properties, OrleansTabsDefaults.AuthenticationScheme));
    }

    /// <summary>The principal of a sealed ticket (a cookie's value or a token), or null if it does not decrypt or has expired.</summary>
    public ClaimsPrincipal? Principal(string? sealedTicket)
    {
        if (string.IsNullOrEmpty(sealedTicket) || Options.TicketDataFormat.Unprotect(sealedTicket) is not { } ticket)
        {
            return null;
        }

        return ticket.Properties.ExpiresUtc is { } expires && expires < clock.GetUtcNow() ? null : ticket.Principal;
    }

    /// <summary>The token of an <c>Authorization: Session &lt;token&gt;</c> header, or null.</summary>
    public static string? AuthorizationToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.Length > AuthorizationScheme.Length + 1
            && header.StartsWith(AuthorizationScheme, StringComparison.OrdinalIgnoreCase)
            && header[AuthorizationScheme.Length] == ' '
            ? header[(AuthorizationScheme.Length + 1)..].Trim()
            : null;
    }

    /// <summary>A request's session: its public handle, the signed-in user (the subject) and the display name.</summary>
    public sealed record SignedIn(string Handle, string User, string Name);
}
