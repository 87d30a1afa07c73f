using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>The application's own authentication: a JWT bearer scheme of its own name, its default scheme.</summary>
public static class AppBearer
{
    public const string Scheme = "AppBearer";

    /// <summary>The role (and the policy of that role) that administrators' endpoints require.</summary>
    public const string AdminRole = "admin";

    /// <summary>
    /// The policy of a team member's own endpoints: the application's token with a team, and the OrleansTabs session
    /// beside it, so the endpoint knows both the team and the caller's session.
    /// </summary>
    public const string TeamMember = "team-member";

    /// <summary>Trusts the test run's signing key; claims keep their JWT names (<c>sub</c>, <c>name</c>, <c>team</c>, <c>role</c>).</summary>
    public static IServiceCollection AddAppBearer(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddJwtBearer(Scheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TestTokens.Issuer,
                ValidAudience = TestTokens.Audience,
                IssuerSigningKey = TestTokens.SigningKey,
                NameClaimType = "name",
                RoleClaimType = "role",
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminRole, p => p.AddAuthenticationSchemes(Scheme).RequireRole(AdminRole))
            .AddPolicy(TeamMember, p => p.AddAuthenticationSchemes(Scheme, OrleansTabsDefaults.AuthenticationScheme).RequireClaim(TeamRooms.TeamClaim));
        return services;
    }

    /// <summary>A token of the application for <paramref name="sub"/>, in <paramref name="team"/> (none: no team claim).</summary>
    public static string Token(string sub, string name, string? team, string? role = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = sub, ["name"] = name };
        if (team is not null)
        {
            claims[TeamRooms.TeamClaim] = team;
        }

        if (role is not null)
        {
            claims["role"] = role;
        }

        return TestTokens.Mint(claims);
    }
}
