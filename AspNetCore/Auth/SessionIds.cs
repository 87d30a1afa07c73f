using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>
/// Session identifiers. The secret session id (128 random bits) lives only inside the encrypted cookie; the public
/// handle, a hash of it, keys the session grain and is what APIs and the dashboard show.
/// </summary>
internal static class SessionIds
{
    /// <summary>The claim that carries the secret session id.</summary>
    public const string SessionClaim = "orleanstabs:sid";

    /// <summary>Mints a fresh secret session id.</summary>
    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    /// <summary>The public handle of a secret session id.</summary>
    public static string Handle(string secret) =>
        "s" + WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(secret)).AsSpan(0, 16));

    /// <summary>The session handle of an authenticated request, or null.</summary>
    public static string? HandleOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(SessionClaim)?.Value is { Length: > 0 } secret ? Handle(secret) : null;
}
