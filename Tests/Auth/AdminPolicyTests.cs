using System.Security.Claims;
using OrleansTabs.AspNetCore.Auth;
using OrleansTabs.Web.Auth;

namespace OrleansTabs.Tests.Auth;

/// <summary>Who the admin policy of the Orleans dashboard lets in, and what a session cookie keeps of a host principal.</summary>
public sealed class AdminPolicyTests
{
    [Fact]
    public void TheRoleOrTheConfiguredClaimMakesAnAdministrator()
    {
        var byClaim = new AdminOptions { Role = "", Claim = "groups", ClaimValue = "ops" };

        Assert.True(AdminPolicy.IsAdmin(Principal(new Claim(ClaimTypes.Role, "admin")), new AdminOptions()));
        Assert.False(AdminPolicy.IsAdmin(Principal(new Claim(ClaimTypes.Role, "reader")), new AdminOptions()));
        Assert.True(AdminPolicy.IsAdmin(Principal(new Claim("groups", "ops")), byClaim));
        Assert.False(AdminPolicy.IsAdmin(Principal(new Claim("groups", "dev")), byClaim));
        Assert.False(AdminPolicy.IsAdmin(Principal(new Claim(ClaimTypes.Role, "admin")), byClaim));
    }

    [Fact]
    public void ASessionKeepsTheRolesAndTheAdminClaimOnly()
    {
        var principal = Principal(new Claim("role", "admin"), new Claim("groups", "ops"), new Claim("email", "a@example.com"));

        var carried = SessionClaims.Carried(principal, new HashSet<string> { "sub", "name", "role", "groups" });

        Assert.Contains(carried, c => c.Type == "role" && c.Value == "admin");
        Assert.Contains(carried, c => c.Type == "groups" && c.Value == "ops");
        Assert.DoesNotContain(carried, c => c.Type == "email");
    }

    [Fact]
    public void ASettingWithoutARoleOrClaimIsRefusedByName()
    {
        var result = new AdminOptionsValidator().Validate(null, new AdminOptions { Role = "" });

        Assert.True(result.Failed);
        Assert.Contains("OrleansTabs:Admin:Role", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));
}
