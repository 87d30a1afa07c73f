using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Auth;

/// <summary>
/// Reads the session cookie of a WebSocket upgrade the way the cookie scheme does (its cookie manager, so chunked cookies
/// too; its ticket format; its expiry), and keeps only the two values a socket needs. The upgrade does not go through the
/// authentication and authorization middleware: an upgraded request lives as long as its socket, and with it everything
/// those middleware leave on it (the scheme's handler, three authentication results and tickets, the principal and its
/// claims, the properties dictionary): about 1.5 KB per idle tab, for values read once.
/// </summary>
public sealed class SessionCookie(IOptionsMonitor<CookieAuthenticationOptions> options, TimeProvider clock)
{
    /// <summary>
    /// The session handle and user name of the request's session cookie, or null if there is no cookie, it does not
    /// decrypt, it has expired or it carries no session. Whether the session is still live is the session grain's to say.
    /// </summary>
    public SignedIn? Read(HttpContext context)
    {
        var cookieOptions = options.Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var cookie = cookieOptions.CookieManager.GetRequestCookie(context, cookieOptions.Cookie.Name!);
        if (string.IsNullOrEmpty(cookie) || cookieOptions.TicketDataFormat.Unprotect(cookie) is not { } ticket)
        {
            return null;
        }

        if (ticket.Properties.ExpiresUtc is { } expires && expires < clock.GetUtcNow())
        {
            return null;
        }

        var handle = SessionIds.HandleOf(ticket.Principal);
        return handle is not null && ticket.Principal.Identity?.Name is { Length: > 0 } user ? new SignedIn(handle, user) : null;
    }

    /// <summary>A request's session: its public handle and the signed-in user's name.</summary>
    public sealed record SignedIn(string Handle, string User);
}
