using System.Collections.Concurrent;
using System.Security.Cryptography;

using OrleansTabs.Peers;

namespace OrleansTabs.Peers;

/// <summary>
/// Both peers' development sign-in (one source file compiled into each): a random session token in a cookie, the user
/// name kept in memory, and in <paramref name="shared"/> too when the servers of a deployment share their sessions.
/// </summary>
public sealed class Sessions(ISharedSessions? shared = null)
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "peer.session";

    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.Ordinal);

    /// <summary><c>POST /auth/login {"user":"name"}</c>: 200 with the cookie, or 400.</summary>
    public async Task<IResult> LoginAsync(HttpContext context)
    {
        var body = await context.Request.ReadFromJsonAsync<LoginRequest>(context.RequestAborted);
        if (body?.User is not { Length: >= 1 and <= 64 } user)
        {
            return Results.Problem(statusCode: 400, title: "Invalid user.");
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _users[token] = user;
        if (shared is not null)
        {
            await shared.SaveAsync(token, user, context.RequestAborted);
        }

        context.Response.Cookies.Append(CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax });
        return Results.Ok(new { user, session = token[..8] });
    }

    /// <summary>The signed-in user of a request, or null; a session signed in on another server is looked up once, then kept here.</summary>
    public ValueTask<string?> UserOfAsync(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var token))
        {
            return ValueTask.FromResult<string?>(null);
        }

        return _users.TryGetValue(token, out var user) ? ValueTask.FromResult<string?>(user)
            : shared is null ? ValueTask.FromResult<string?>(null)
            : FindSharedAsync(token, request.HttpContext.RequestAborted);
    }

    private async ValueTask<string?> FindSharedAsync(string token, CancellationToken cancellation)
    {
        if (await shared!.FindAsync(token, cancellation) is not { } user)
        {
            return null;
        }

        _users[token] = user;
        return user;
    }

    private sealed record LoginRequest(string? User);
}
