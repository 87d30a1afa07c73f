using OrleansTabs.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// What every OrleansTabs host (silo and front-end) has in common: telemetry, health checks, problem details for
/// errors, the exception handler and the Orleans dashboard's sampling rate. One place, so the hosts cannot drift.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Adds telemetry (see <see cref="DefaultTelemetry"/>), the cluster readiness check, problem details and the dashboard
    /// defaults. <paramref name="serviceName"/> names the service in telemetry unless <c>OTEL_SERVICE_NAME</c> is set.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddDefaultTelemetry(serviceName);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ClusterHealthCheck.ReadyTag]);
        DashboardSetup.ConfigureDefaults(builder.Services, builder.Configuration);
        ManagementEndpoints.AddManagementPort(builder.Services);
        return builder;
    }

    /// <summary>
    /// An unhandled exception becomes a problem details response (500) instead of an empty reply, and the management port
    /// (<see cref="ManagementOptions"/>) serves only the management endpoints and the health checks.
    /// </summary>
    public static IApplicationBuilder UseServiceDefaults(this IApplicationBuilder app) => app.UseExceptionHandler().UseManagementPort();

    /// <summary>
    /// Maps <c>/health/live</c> (the process serves requests), <c>/health/ready</c> (the cluster answers) and
    /// <c>/metrics</c> (Prometheus, on the management port).
    /// </summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ClusterHealthCheck.ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireManagementPort();
        return app;
    }
}
