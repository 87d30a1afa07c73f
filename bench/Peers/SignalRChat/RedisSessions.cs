using StackExchange.Redis;

namespace OrleansTabs.Peers.SignalRChat;

/// <summary>The sessions of a scaled-out deployment in the backplane's redis-server: one string key per session, expiring as a cookie session would.</summary>
public sealed class RedisSessions(IConnectionMultiplexer redis) : ISharedSessions
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public Task SaveAsync(string token, string user, CancellationToken cancellation) =>
        redis.GetDatabase().StringSetAsync(Key(token), user, Lifetime).WaitAsync(cancellation);

    /// <inheritdoc />
    public async Task<string?> FindAsync(string token, CancellationToken cancellation) =>
        await redis.GetDatabase().StringGetAsync(Key(token)).WaitAsync(cancellation) is { HasValue: true } user ? user.ToString() : null;

    private static RedisKey Key(string token) => "peer:session:" + token;
}
