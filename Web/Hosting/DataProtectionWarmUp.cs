using Microsoft.AspNetCore.DataProtection;
using OrleansTabs.Grains.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Loads the Data Protection key ring from Redis during start-up, one front-end at a time. The key ring repository is
/// synchronous by design; loaded here, its one read happens before the server takes requests instead of blocking the
/// first sign-ins' threads.
/// </summary>
/// <remarks>
/// A front-end that finds the ring empty creates its first key, active at once. Front-ends that start together would each
/// create one and each seal cookies with its own; a front-end looks for a key it does not know only in its first two
/// minutes, so after that a cookie sealed on one would not open on another until its ring's daily refresh. A lock in
/// Redis makes the start-ups take turns: the first creates the key and the others read it.
/// </remarks>
public sealed class DataProtectionWarmUp(RedisConnection redis, IDataProtectionProvider protection, RedisKey keyRing) : IHostedService
{
    /// <summary>How long a lock outlives a front-end that died holding it.</summary>
    private static readonly TimeSpan LockTime = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);

    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.OpenAsync().WaitAsync(cancellationToken);
        var database = redis.Multiplexer.GetDatabase();
        var lockKey = keyRing.Append(":starting");
        var token = Guid.NewGuid().ToString("N");
        while (!await database.StringSetAsync(lockKey, token, LockTime, When.NotExists))
        {
            await Task.Delay(RetryInterval, cancellationToken);
        }

        try
        {
            // The repository's read blocks its thread: a thread of its own, so no pool thread (which an embedded Garnet
            // needs to answer that very read) waits on it.
            await Task.Factory.StartNew(
                () => protection.CreateProtector("OrleansTabs.WarmUp").Protect([1]),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        finally
        {
            await database.ScriptEvaluateAsync(ReleaseScript, [lockKey], [token]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
