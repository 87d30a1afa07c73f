using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OrleansTabs.Sessions;

namespace OrleansTabs.Web.Auth;

/// <summary>
/// The authorization policy of the Orleans dashboard outside Development: the configured admin role or claim, on a
/// live session. A session started from the host's identity keeps that principal's roles and admin claim (for as long
/// as its sign-in's credentials last), so an administrator signs in once and opens the dashboard with the session cookie.
/// </summary>
public static class AdminPolicy
{
    /// <summary>The policy name.</summary>
    public const string Name = "OrleansTabs.Admin";

    /// <summary>
    /// Builds the policy: an administrator, as the validated <see cref="AdminOptions"/> say, whose session is live (a
    /// replayed cookie of an ended one is not).
    /// </summary>
    public static void Configure(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(OrleansTabsDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(async context => context.Resource is HttpContext http && await SessionClaimsAsync(context) is { } claims
                && IsAdmin(claims, http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value));

    /// <summary>The claims a live session still keeps (none once its sign-in expired), as a principal; null if it is not live.</summary>
    private static async Task<ClaimsPrincipal?> SessionClaimsAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is not HttpContext http || context.User.GetTabsSession() is not { } handle)
        {
            return null;
        }

        var info = await http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(handle).ValidateAsync();
        return info is null ? null : new ClaimsPrincipal(new ClaimsIdentity(info.Claims.Select(c => new Claim(c.Type, c.Value)), "session", "sub", "role"));
    }

    /// <summary>Whether the principal has the admin role or the admin claim.</summary>
    public static bool IsAdmin(ClaimsPrincipal user, AdminOptions options) =>
        (!string.IsNullOrWhiteSpace(options.Role) && user.IsInRole(options.Role))
        || (!string.IsNullOrWhiteSpace(options.Claim) && user.HasClaim(c => c.Type == options.Claim && (string.IsNullOrEmpty(options.ClaimValue) || c.Value == options.ClaimValue)));
}
