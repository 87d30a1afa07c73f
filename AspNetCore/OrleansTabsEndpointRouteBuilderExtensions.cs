using OrleansTabs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansTabs.AspNetCore.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OrleansTabs endpoints into an ASP.NET Core app.</summary>
public static class OrleansTabsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>{prefix}/ws/{channel}</c>, <c>{prefix}/auth/login</c>, <c>{prefix}/auth/logout</c>, <c>{prefix}/auth/me</c>
    /// and <c>{prefix}/api/push</c>. Needs <c>services.AddOrleansTabs()</c> and an Orleans silo or client in the host; a
    /// missing one throws here, naming it.
    /// </summary>
    public static IEndpointConventionBuilder MapOrleansTabs(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var routes = services.GetService<OrleansTabsRoutes>()
            ?? throw new InvalidOperationException("MapOrleansTabs needs the OrleansTabs services: call builder.Services.AddOrleansTabs() first.");
        if (services.GetService<IGrainFactory>() is null)
        {
            throw new InvalidOperationException("OrleansTabs needs Orleans in this host: add a silo (builder.UseOrleans(silo => silo.AddOrleansTabs(redis))) or a client of the cluster (builder.UseOrleansClient(...)).");
        }

        var schemes = services.GetRequiredService<IOptions<AuthenticationOptions>>().Value.SchemeMap;
        foreach (var scheme in services.GetRequiredService<IOptions<OrleansTabsOptions>>().Value.SignInSchemes.Where(s => !schemes.ContainsKey(s)))
        {
            throw new InvalidOperationException($"OrleansTabsOptions.SignInSchemes names '{scheme}', which is no authentication scheme of this host: add it (builder.Services.AddAuthentication().Add...) or remove it from the list.");
        }

        var path = new PathString(prefix.TrimEnd('/') is { Length: > 0 } trimmed ? (trimmed.StartsWith('/') ? trimmed : "/" + trimmed) : "");
        routes.Map(path);
        var group = endpoints.MapGroup(path.HasValue ? path.Value! : "");
        group.MapAuthEndpoints();
        group.MapPushEndpoints();
        group.MapTabSockets();
        return group;
    }
}
