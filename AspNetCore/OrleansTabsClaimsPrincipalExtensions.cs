using System.Security.Claims;
using OrleansTabs.AspNetCore.Auth;

namespace OrleansTabs;

/// <summary>Reads the OrleansTabs session of a principal that the session scheme (<see cref="OrleansTabsDefaults.AuthenticationScheme"/>) authenticated.</summary>
public static class OrleansTabsClaimsPrincipalExtensions
{
    /// <summary>
    /// The public handle of the principal's session (what <c>TabsTarget.Session</c> and <c>/auth/me</c>'s <c>session</c>
    /// take), or null if the principal has none. Whether the session is still live is the session's to say.
    /// </summary>
    public static string? GetTabsSession(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return SessionIds.HandleOf(principal);
    }
}
