using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Pins the signature algorithms the bearer scheme accepts, unless <c>Authentication:Schemes:Bearer:ValidAlgorithms</c>
/// lists them: HMAC-SHA2 when every configured signing key is symmetric (as <c>dotnet user-jwts</c> writes them), else
/// the RSA, RSA-PSS and ECDSA SHA-2 families of an authority's keys. A token signed any other way is refused.
/// </summary>
public static class JwtAlgorithms
{
    /// <summary>What a symmetric key may sign with.</summary>
    public static readonly string[] Symmetric = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512];

    /// <summary>What an authority's (asymmetric) keys may sign with.</summary>
    public static readonly string[] Asymmetric =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>Registers the pinning for the bearer scheme.</summary>
    public static IServiceCollection PinJwtAlgorithms(this IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => Pin(o.TokenValidationParameters));

    /// <summary>Sets <see cref="TokenValidationParameters.ValidAlgorithms"/> when none are configured.</summary>
    public static void Pin(TokenValidationParameters parameters)
    {
        if (parameters.ValidAlgorithms?.Any() == true)
        {
            return;
        }

        var keys = (parameters.IssuerSigningKeys ?? []).Append(parameters.IssuerSigningKey).OfType<SecurityKey>().ToList();
        parameters.ValidAlgorithms = keys.Count > 0 && keys.All(k => k is SymmetricSecurityKey) ? Symmetric : Asymmetric;
    }
}
