using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Options;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The room log in Redis: a list of JSON entries (<c>…:log</c>), a hash with epoch and head (<c>…:meta</c>), and a hash
/// of member locations (<c>…:members</c>). A batch is one MULTI/EXEC: RPUSH + LTRIM + HSET, so the log, its head and
/// its trim move together.
/// </summary>
public sealed class RedisRoomLog(IConnectionMultiplexer redis, IOptions<RoomOptions> options, IOptions<ClusterOptions> cluster) : IRoomLog
{
    private readonly string _prefix = $"{options.Value.KeyPrefix}:{cluster.Value.ServiceId}";

    // A room idle for longer than its retention holds nothing worth keeping: its keys expire after that.
    private readonly TimeSpan _idleExpiry = options.Value.MaxAge + TimeSpan.FromHours(1);

    public async Task<(string? Epoch, long Head, List<StoredMessage> Messages)> LoadAsync(string room)
    {
        var db = redis.GetDatabase();
        var meta = await db.HashGetAsync(Key(room, "meta"), ["epoch", "head"]);
        if (meta[0].IsNullOrEmpty)
        {
            return (null, 0, []);
        }

        var entries = await db.ListRangeAsync(Key(room, "log"));
        var messages = new List<StoredMessage>(entries.Length);
        foreach (var entry in entries)
        {
            if (JsonSerializer.Deserialize((byte[])entry!, StoredMessageJson.Default.StoredMessage) is { } message)
            {
                messages.Add(message);
            }
        }

        return (meta[0].ToString(), (long)meta[1], messages);
    }

    public async Task AppendAsync(string room, string epoch, IReadOnlyList<StoredMessage> batch, long head, int keep)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        var values = new RedisValue[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            values[i] = JsonSerializer.SerializeToUtf8Bytes(batch[i], StoredMessageJson.Default.StoredMessage);
        }

        var log = Key(room, "log");
        _ = transaction.ListRightPushAsync(log, values);
        _ = keep > 0 ? transaction.ListTrimAsync(log, -keep, -1) : transaction.KeyDeleteAsync(log);
        _ = transaction.HashSetAsync(Key(room, "meta"), [new HashEntry("epoch", epoch), new HashEntry("head", head)]);
        _ = transaction.KeyExpireAsync(log, _idleExpiry);
        _ = transaction.KeyExpireAsync(Key(room, "meta"), _idleExpiry);
        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException($"The append to room '{room}' was not committed.");
        }
    }

    public async Task<Dictionary<string, string>> LoadMembersAsync(string room)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key(room, "members"));
        return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
    }

    public async Task SetMemberAsync(string room, string tabKey, string? location)
    {
        var db = redis.GetDatabase();
        var members = Key(room, "members");
        if (location is null)
        {
            await db.HashDeleteAsync(members, tabKey);
            return;
        }

        await db.HashSetAsync(members, tabKey, location);
        await db.KeyExpireAsync(members, _idleExpiry);
    }

    private RedisKey Key(string room, string part) => $"{_prefix}:room:{{{room}}}:{part}";
}
