using System.Security.Claims;

namespace OrleansTabs;

/// <summary>
/// The tab a hook is asked about: the signed-in user (the subject), the public session handle, the tab id, the channel
/// (<c>chat</c> or <c>dashboard</c>) and the claims the session carries (<c>OrleansTabsOptions.CarriedClaims</c>). Read
/// once per socket, when a hook first needs it.
/// </summary>
public sealed record TabContext(string User, string Session, string Tab, string Channel, IReadOnlyList<Claim> Claims)
{
    /// <summary>The value of the first carried claim of <paramref name="type"/>, or null.</summary>
    public string? FindClaim(string type)
    {
        foreach (var claim in Claims)
        {
            if (claim.Type == type)
            {
                return claim.Value;
            }
        }

        return null;
    }
}
