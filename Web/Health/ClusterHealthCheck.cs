using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansTabs.FrontEnds;

namespace OrleansTabs.Web.Health;

/// <summary>Ready when the cluster answers: the front-end directory grain replies within two seconds.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var live = await grains.GetGrain<IFrontEndDirectoryGrain>(0).GetLiveAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"{live.Length} front-end(s) registered.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The Orleans cluster did not answer.", ex);
        }
    }
}
