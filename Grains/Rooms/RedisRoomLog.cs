using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Options;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The room log in Redis: a list of JSON entries (<c>…:log</c>), a hash with epoch and head (<c>…:meta</c>), and a hash
/// of member locations (<c>…:members</c>). A batch is one Lua script: RPUSH + LPOP of the excess + HSET, so the log, its head and
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

    public async Task AppendAsync(string room, string epoch, long expectedHead, IReadOnlyList<StoredMessage> batch, int keep)
    {
        // ARGV: expected head, epoch, new head, keep, expiry (ms), then the entries. The script refuses the append when
        // the stored head or epoch is not the one this activation wrote last, so offsets are never assigned twice.
        var values = new RedisValue[5 + batch.Count];
        values[0] = expectedHead;
        values[1] = epoch;
        values[2] = expectedHead + batch.Count;
        values[3] = keep;
        values[4] = (long)_idleExpiry.TotalMilliseconds;
        for (var i = 0; i < batch.Count; i++)
        {
            values[5 + i] = JsonSerializer.SerializeToUtf8Bytes(batch[i], StoredMessageJson.Default.StoredMessage);
        }

        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, [Key(room, "log"), Key(room, "meta")], values);
        if (result != -1)
        {
            throw new RoomLogConflictException(room, expectedHead, result);
        }
    }

    public async Task<Dictionary<string, string>> LoadMembersAsync(string room)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(Key(room, "members"));
        return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
    }

    public async Task SetMembersAsync(string room, IReadOnlyCollection<KeyValuePair<string, string?>> locations)
    {
        var members = Key(room, "members");
        var set = locations.Where(l => l.Value is not null).Select(l => new HashEntry(l.Key, l.Value)).ToArray();
        var removed = locations.Where(l => l.Value is null).Select(l => (RedisValue)l.Key).ToArray();

        // One round trip: the commands are pipelined in a batch.
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task>(3);
        if (set.Length > 0)
        {
            writes.Add(batch.HashSetAsync(members, set));
            writes.Add(batch.KeyExpireAsync(members, _idleExpiry));
        }

        if (removed.Length > 0)
        {
            writes.Add(batch.HashDeleteAsync(members, removed));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    private const string AppendScript = """
        local head = tonumber(redis.call('HGET', KEYS[2], 'head') or '0')
        local epoch = redis.call('HGET', KEYS[2], 'epoch')
        if head ~= tonumber(ARGV[1]) or (epoch and epoch ~= ARGV[2]) then
          return head
        end
        -- One RPUSH for the batch, then pop the entries over the cap from the head: LPOP with a count touches only
        -- the entries it removes, where LTRIM on a full log walks all of it on every batch.
        local unpack = table.unpack or unpack
        local length = redis.call('RPUSH', KEYS[1], unpack(ARGV, 6))
        local keep = tonumber(ARGV[4])
        if keep <= 0 then
          redis.call('DEL', KEYS[1])
        elseif length > keep then
          redis.call('LPOP', KEYS[1], length - keep)
        end
        redis.call('HSET', KEYS[2], 'epoch', ARGV[2], 'head', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return -1
        """;

    private RedisKey Key(string room, string part) => $"{_prefix}:room:{{{room}}}:{part}";
}
