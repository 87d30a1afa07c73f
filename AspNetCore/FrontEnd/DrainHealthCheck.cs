using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// Unhealthy once the front-end drains (<see cref="FrontEndDrain"/>): a load balancer that probes readiness stops sending
/// it new connections before its sockets are closed. Registered with the tag <see cref="OrleansTabsDefaults.ReadyTag"/>.
/// </summary>
internal sealed class DrainHealthCheck(FrontEndDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining
            ? HealthCheckResult.Unhealthy("The front-end is draining: it is stopping and takes no new sockets.")
            : HealthCheckResult.Healthy("The front-end takes sockets."));
}
