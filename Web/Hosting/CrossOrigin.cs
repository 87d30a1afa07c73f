using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// CORS for browser apps served from another origin (<see cref="HostingOptions.CorsOrigins"/>): only the listed origins,
/// with credentials (the session cookie), for the methods the client uses. Nothing is registered when the list is empty.
/// </summary>
public static class CrossOrigin
{
    /// <summary>The CORS policy's name.</summary>
    public const string PolicyName = "OrleansTabs.CrossOrigin";

    /// <summary>Registers the policy when origins are configured (validated by <see cref="HostingOptionsValidator"/>).</summary>
    public static void AddCrossOrigin(this IServiceCollection services, HostingOptions hosting)
    {
        var origins = hosting.CorsOrigins.Select(o => o.TrimEnd('/')).ToArray();
        if (origins.Length == 0)
        {
            return;
        }

        services.AddCors(o => o.AddPolicy(PolicyName, policy => policy
            .WithOrigins(origins)
            .AllowCredentials()
            .WithMethods("GET", "POST")
            .AllowAnyHeader()
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }

    /// <summary>Answers preflights and adds the CORS headers for the configured origins, when there are any.</summary>
    public static IApplicationBuilder UseCrossOrigin(this IApplicationBuilder app)
    {
        var configured = app.ApplicationServices.GetService<IOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>>()?.Value.GetPolicy(PolicyName) is not null;
        return configured ? app.UseCors(PolicyName) : app;
    }
}
