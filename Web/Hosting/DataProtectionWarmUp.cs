using Microsoft.AspNetCore.DataProtection;
using OrleansTabs.Grains.Hosting;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Loads the Data Protection key ring from Redis during start-up. The key ring repository is synchronous by design;
/// loaded here, its one read happens before the server takes requests instead of blocking the first sign-ins' threads.
/// </summary>
public sealed class DataProtectionWarmUp(RedisConnection redis, IDataProtectionProvider protection) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.OpenAsync().WaitAsync(cancellationToken);

        // The repository's read blocks its thread: a thread of its own, so no pool thread (which an embedded Garnet
        // needs to answer that very read) waits on it.
        await Task.Factory.StartNew(
            () => protection.CreateProtector("OrleansTabs.WarmUp").Protect([1]),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
