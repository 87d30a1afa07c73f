using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OrleansTabs.Web.Sockets;

namespace OrleansTabs.Web.Hosting;

/// <summary>Metrics over OpenTelemetry, scraped in Prometheus format at <c>/metrics</c>: the front-end's own meter, Orleans and ASP.NET Core.</summary>
public static class Telemetry
{
    /// <summary>Adds the meters and the Prometheus exporter.</summary>
    public static IServiceCollection AddOrleansTabsTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("orleanstabs-web"))
            .WithMetrics(metrics => metrics
            .AddMeter(FrontEndMetrics.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapOrleansTabsTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
