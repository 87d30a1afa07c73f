using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Auth;

/// <summary>
/// Sign-in from the host application's identity (docs/protocol.md section 1): <c>POST /auth/login</c> authenticates the
/// request with every scheme the host configured other than the session cookie (JWT bearer from
/// <c>Authentication:Schemes:Bearer</c>, an OIDC cookie, ...). The first that succeeds names the session's user: its
/// <c>name</c> claim, else its <c>sub</c>. Credentials that a scheme refuses (a bad signature, a wrong audience, an
/// expired token) end the sign-in with 401 rather than falling back to another way in.
/// </summary>
public static class HostIdentity
{
    /// <summary>What the host schemes said: a user (with the claims its session keeps), a refusal, or nothing.</summary>
    public readonly record struct Outcome(string? User, IReadOnlyList<Claim> Carried, IResult? Refusal);

    /// <summary>Authenticates the request with the host's schemes; only sign-in calls it, never the socket path.</summary>
    public static async Task<Outcome> AuthenticateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var schemes = await services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        foreach (var scheme in schemes)
        {
            if (scheme.Name == CookieAuthenticationDefaults.AuthenticationScheme)
            {
                continue;
            }

            var result = await context.AuthenticateAsync(scheme.Name);
            if (result.Failure is not null)
            {
                return Refused(401, "Credentials refused.", $"The {scheme.Name} credentials are invalid or expired.");
            }

            if (result is { Succeeded: true, Principal: { } principal })
            {
                return UserNames.Valid(NameOf(principal)) is { } user
                    ? new Outcome(user, [.. AdminPolicy.Carried(principal, services.GetRequiredService<IOptions<AdminOptions>>().Value)], null)
                    : Refused(403, "No usable user name.", "The identity needs a name or sub claim of 1-64 printable characters.");
            }
        }

        return default;
    }

    /// <summary>The <c>name</c> claim (or its mapped form), else <c>sub</c> (or its mapped form).</summary>
    private static string? NameOf(ClaimsPrincipal principal) =>
        (principal.FindFirst("name") ?? principal.FindFirst(ClaimTypes.Name) ?? principal.FindFirst("sub") ?? principal.FindFirst(ClaimTypes.NameIdentifier))?.Value;

    private static Outcome Refused(int status, string title, string detail) => new(null, [], Results.Problem(statusCode: status, title: title, detail: detail));
}
