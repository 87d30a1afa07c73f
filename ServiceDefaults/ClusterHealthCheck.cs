using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansTabs.FrontEnds;

namespace OrleansTabs.ServiceDefaults;

/// <summary>Ready when the cluster serves grain calls: the front-end directory grain answers within two seconds.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    /// <summary>The tag of checks that decide readiness (<c>/health/ready</c>).</summary>
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var live = await grains.GetFrontEndDirectory().GetLiveAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"{live.Length} front-end(s) registered.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The Orleans cluster did not answer.", ex);
        }
    }
}
