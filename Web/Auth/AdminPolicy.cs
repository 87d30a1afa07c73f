using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using OrleansTabs.Sessions;

namespace OrleansTabs.Web.Auth;

/// <summary>
/// The authorization policy of the Orleans dashboard outside Development: the configured admin role or claim, on a
/// live session. A session started from the host's identity carries that principal's roles and admin claim in its
/// cookie, so an administrator signs in once and opens the dashboard with the session cookie.
/// </summary>
public static class AdminPolicy
{
    /// <summary>The policy name.</summary>
    public const string Name = "OrleansTabs.Admin";

    /// <summary>Builds the policy from the options: an administrator whose session is live (a replayed cookie of an ended one is not).</summary>
    public static void Configure(AuthorizationPolicyBuilder policy, AdminOptions options) =>
        policy.RequireAuthenticatedUser().RequireAssertion(async context => IsAdmin(context.User, options) && await IsLiveSessionAsync(context));

    private static async Task<bool> IsLiveSessionAsync(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http
        && SessionIds.HandleOf(context.User) is { } handle
        && await http.RequestServices.GetRequiredService<IGrainFactory>().Get<ISessionGrain>(handle).ValidateAsync() is not null;

    /// <summary>Whether the principal has the admin role or the admin claim.</summary>
    public static bool IsAdmin(ClaimsPrincipal user, AdminOptions options) =>
        (!string.IsNullOrWhiteSpace(options.Role) && user.IsInRole(options.Role))
        || (!string.IsNullOrWhiteSpace(options.Claim) && user.HasClaim(c => c.Type == options.Claim && (string.IsNullOrEmpty(options.ClaimValue) || c.Value == options.ClaimValue)));

    /// <summary>The claims of a host principal that a session cookie keeps: its roles, as roles, and the admin claim.</summary>
    public static IEnumerable<Claim> Carried(ClaimsPrincipal user, AdminOptions options)
    {
        var roles = user.Identities
            .SelectMany(i => i.Claims.Where(c => c.Type == i.RoleClaimType || c.Type is ClaimTypes.Role or "role" or "roles"))
            .Select(c => c.Value)
            .Distinct(StringComparer.Ordinal)
            .Select(role => new Claim(ClaimTypes.Role, role));
        var admin = string.IsNullOrWhiteSpace(options.Claim) ? [] : user.FindAll(options.Claim).Select(c => new Claim(c.Type, c.Value));
        return roles.Concat(admin).ToList();
    }
}
