using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;
using OrleansTabs.FrontEnds;

namespace OrleansTabs.Silo;

/// <summary>Ready when the silo serves grain calls: the front-end directory answers within two seconds.</summary>
public sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IFrontEndDirectoryGrain>(0).GetLiveAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster did not answer.", ex);
        }
    }
}
