using OrleansTabs.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// Whether this process exports traces and logs: only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Off, nothing
/// listens to the activity sources and Orleans does not propagate activities, so the data path pays nothing for tracing.
/// </summary>
public static class TelemetryExport
{
    /// <summary>The standard OpenTelemetry variable that switches export on.</summary>
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>True when an OTLP endpoint is configured (environment or any other configuration source).</summary>
    public static bool IsOn(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointSetting]);
}
