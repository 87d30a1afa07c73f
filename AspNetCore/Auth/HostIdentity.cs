using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>
/// Sign-in from the host application's identity (docs/protocol.md sections 1 and 7.4): <c>POST /auth/login</c>
/// authenticates the request with every scheme the host configured other than the session's own (JWT bearer, an OIDC
/// cookie, ...). The first that succeeds names the session's user by its stable subject (<c>sub</c>, or its mapped
/// NameIdentifier form), never by its display name, which the session carries as <c>name</c>. Credentials that a scheme
/// refuses (a bad signature, a wrong audience, an expired token) end the sign-in with 401 rather than falling back to
/// another way in; a principal without a subject gets 403.
/// </summary>
internal static class HostIdentity
{
    /// <summary>What the host schemes said: a signed-in identity, a refusal, or nothing.</summary>
    public readonly record struct Outcome(SignIn? Identity, IResult? Refusal);

    /// <summary>Authenticates the request with the host's schemes; only sign-in calls it, never the socket path.</summary>
    public static async Task<Outcome> AuthenticateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<OrleansTabsOptions>>().Value;
        IEnumerable<string> schemes = options.SignInSchemes.Count > 0
            ? options.SignInSchemes
            : (await services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync()).Select(s => s.Name);
        foreach (var scheme in schemes)
        {
            if (scheme == OrleansTabsDefaults.AuthenticationScheme)
            {
                continue;
            }

            var result = await context.AuthenticateAsync(scheme);
            if (result.Failure is not null)
            {
                return Refused(401, "Credentials refused.", $"The {scheme} credentials are invalid or expired.");
            }

            if (result is { Succeeded: true, Principal: { } principal })
            {
                if (UserNames.ValidSubject(SessionClaims.SubjectOf(principal)) is not { } subject)
                {
                    return Refused(403, "No subject.", "The identity needs a sub (or NameIdentifier) claim of 1-256 printable characters: a session's user is its subject.");
                }

                var name = UserNames.Valid(SessionClaims.NameOf(principal)) ?? subject;
                var carried = SessionClaims.Carried(principal, options.CarriedClaims);
                return new Outcome(new SignIn(subject, name, carried, result.Properties?.ExpiresUtc), null);
            }
        }

        return default;
    }

    private static Outcome Refused(int status, string title, string detail) => new(null, Results.Problem(statusCode: status, title: title, detail: detail));
}

/// <summary>
/// Who signs in: the subject (the session's <c>user</c>), the display name, the claims the session keeps, and when the
/// sign-in's own credentials expire (null: they do not say), after which the session keeps none of those claims.
/// </summary>
internal sealed record SignIn(string User, string Name, IReadOnlyList<Claim> Carried, DateTimeOffset? ExpiresAt);
