using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OrleansTabs.Grains.Health;

namespace OrleansTabs.Web.Health;

/// <summary><c>/health/live</c> (the process serves requests) and <c>/health/ready</c> (the cluster is reachable).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ClusterHealthCheck.ReadyTag) });
        return app;
    }
}
