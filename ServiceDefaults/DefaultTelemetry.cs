using OrleansTabs.ServiceDefaults;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// OpenTelemetry for every OrleansTabs host. Metrics always, scraped in Prometheus format at <c>/metrics</c>. Traces,
/// logs and metrics over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the exporter then reads the other
/// standard <c>OTEL_*</c> variables (protocol, headers, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>).
/// </summary>
public static class DefaultTelemetry
{
    /// <summary>The meters exported: the OrleansTabs meter and Orleans' own.</summary>
    public static readonly string[] Meters = ["OrleansTabs", "Microsoft.Orleans"];

    /// <summary>
    /// The most tag combinations kept per metric stream. Each stream preallocates its points, so the SDK's larger
    /// default costs memory in proportion to every stream of Orleans, ASP.NET Core and this project. No metric here has
    /// more than a few dozen combinations (close codes, grain types, reset reasons), and values beyond the limit are
    /// still counted, under the SDK's overflow point.
    /// </summary>
    public const int CardinalityLimit = 256;

    /// <summary>The activity sources traced: this project's (front-end frames, room writes) and Orleans' grain calls.</summary>
    public static readonly string[] Sources = ["OrleansTabs.*", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Adds metrics (and, with an OTLP endpoint, traces, logs and the OTLP exporter) under <paramref name="serviceName"/> unless <c>OTEL_SERVICE_NAME</c> names the service.</summary>
    public static IHostApplicationBuilder AddDefaultTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var configured = builder.Configuration["OTEL_SERVICE_NAME"];
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(configured) ? serviceName : configured))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddView(instrument => IsPerOperation(instrument)
                    ? MetricStreamConfiguration.Drop
                    : new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit })
                .AddPrometheusExporter());
        if (!TelemetryExport.IsOn(builder.Configuration))
        {
            // No tracer provider: nothing listens to the activity sources, so no span is ever created.
            return builder;
        }

        otel.WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path)))
            .WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            })
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Instruments updated on every operation of a hot path and not worth it: Kestrel's memory pool counts every buffer
    /// rented and returned (<c>aspnetcore.memory_pool.rented</c>, <c>.pooled</c>), two metric updates per socket read and
    /// write, a cost that grows with every delivery of a fan-out. Dropped streams are not listened to at all; the pool's
    /// allocations and evictions (its growth and trim, which is what memory use follows) are kept.
    /// </summary>
    public static bool IsPerOperation(Instrument instrument) =>
        instrument.Meter.Name == "Microsoft.AspNetCore.MemoryPool" && instrument.Name is "aspnetcore.memory_pool.rented" or "aspnetcore.memory_pool.pooled";

    /// <summary>Health probes and scrapes: polled every few seconds, not worth a trace.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments("/metrics", StringComparison.Ordinal);
}
