using Microsoft.AspNetCore.Authentication.Cookies;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>
/// The session scheme's cookie manager: a request's <c>Authorization: Session &lt;token&gt;</c> (docs/protocol.md section
/// 7.5: the token is the session's sealed ticket, the cookie's own value) stands for the session cookie, so the one
/// scheme authenticates a browser by its cookie and a client without cookies by its token, on OrleansTabs' endpoints
/// and on the application's own alike. Writing and deleting the cookie are the chunking manager's, as usual.
/// </summary>
internal sealed class SessionTokenCookieManager : ICookieManager
{
    private readonly ChunkingCookieManager _cookies = new();

    public string? GetRequestCookie(HttpContext context, string key) =>
        SessionCookie.AuthorizationToken(context.Request) ?? _cookies.GetRequestCookie(context, key);

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        _cookies.AppendResponseCookie(context, key, value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) =>
        _cookies.DeleteCookie(context, key, options);
}
