using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// JWT bearer tokens from a key generated for this test run, and the <c>Authentication:Schemes:Bearer</c> settings that
/// make a host accept them (the shape <c>dotnet user-jwts</c> writes).
/// </summary>
public static class TestTokens
{
    public const string Issuer = "orleanstabs-tests";

    public const string Audience = "orleanstabs";

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The key the tokens are signed with, for a host that sets up its bearer scheme in code.</summary>
    public static SecurityKey SigningKey { get; } = new SymmetricSecurityKey(Key);

    /// <summary>The host settings that trust <see cref="Key"/> for <see cref="Issuer"/> and <see cref="Audience"/>.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Id"] = "tests",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(Key),
        ["Authentication:Schemes:Bearer:SigningKeys:0:Length"] = "32",
    };

    /// <summary>A signed token with <paramref name="claims"/>; the other parameters make it wrong in one way each.</summary>
    public static string Mint(IDictionary<string, object> claims, string audience = Audience, byte[]? key = null, TimeSpan? expiresIn = null)
    {
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromMinutes(10));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires - TimeSpan.FromMinutes(30),
            NotBefore = expires - TimeSpan.FromMinutes(30),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A token with no signature at all (<c>alg: none</c>).</summary>
    public static string WithoutSignature(IDictionary<string, object> claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(10),
        });

    /// <summary>A token for a user by <c>name</c> (and <c>sub</c>), optionally with roles.</summary>
    public static string ForUser(string name, params string[] roles)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "sub-" + name, ["name"] = name };
        if (roles.Length > 0)
        {
            claims["role"] = roles;
        }

        return Mint(claims);
    }
}
