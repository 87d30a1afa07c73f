using System.Security.Claims;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>
/// The claims a session keeps from its sign-in principal (<see cref="OrleansTabsOptions.CarriedClaims"/>), under short
/// names: a claim the host's scheme mapped to a long URI (<see cref="ClaimTypes.NameIdentifier"/>, <see cref="ClaimTypes.Name"/>,
/// <see cref="ClaimTypes.Role"/> or the identity's own role type) is kept as <c>sub</c>, <c>name</c> or <c>role</c>.
/// </summary>
internal static class SessionClaims
{
    /// <summary>The session identity's name claim type: the subject.</summary>
    public const string Subject = "sub";

    /// <summary>The display name's claim type.</summary>
    public const string Name = "name";

    /// <summary>The session identity's role claim type.</summary>
    public const string Role = "role";

    /// <summary>The stable subject of a principal: <c>sub</c>, else its mapped <see cref="ClaimTypes.NameIdentifier"/> form.</summary>
    public static string? SubjectOf(ClaimsPrincipal principal) =>
        (principal.FindFirst(Subject) ?? principal.FindFirst(ClaimTypes.NameIdentifier))?.Value;

    /// <summary>The display name of a principal: <c>name</c>, else its mapped <see cref="ClaimTypes.Name"/> form, else null.</summary>
    public static string? NameOf(ClaimsPrincipal principal) =>
        (principal.FindFirst(Name) ?? principal.FindFirst(ClaimTypes.Name))?.Value;

    /// <summary>The principal's claims whose short type is in <paramref name="carried"/>, each type and value once.</summary>
    public static List<Claim> Carried(ClaimsPrincipal principal, ICollection<string> carried)
    {
        var kept = new List<Claim>();
        foreach (var identity in principal.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                var type = ShortType(claim.Type, identity);
                if (carried.Contains(type) && !kept.Exists(c => c.Type == type && c.Value == claim.Value))
                {
                    kept.Add(new Claim(type, claim.Value));
                }
            }
        }

        return kept;
    }

    private static string ShortType(string type, ClaimsIdentity identity) => type switch
    {
        ClaimTypes.NameIdentifier => Subject,
        ClaimTypes.Name => Name,
        ClaimTypes.Role or "roles" => Role,
        _ when type == identity.RoleClaimType => Role,
        _ => type,
    };
}
