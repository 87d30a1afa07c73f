using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Options;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The room log in Redis: a list of JSON entries (<c>…:log</c>), a hash with epoch and head (<c>…:meta</c>), a hash of
/// member locations (<c>…:members</c>), and the dedup window: a hash of (tab, client id) to offset (<c>…:ids</c>) with a
/// sorted set of when each was posted (<c>…:idtimes</c>) to trim it by time. A batch is one Lua script: the resend check,
/// RPUSH + LPOP of the excess + HSET of the head, and the ids, so the log, its head, its trim and its ids move together.
/// </summary>
public sealed class RedisRoomLog(IConnectionMultiplexer redis, IOptions<RoomOptions> options, IOptions<ClusterOptions> cluster, TimeProvider clock) : IRoomLog
{
    private readonly string _prefix = $"{options.Value.KeyPrefix}:{cluster.Value.ServiceId}";
    private readonly TimeSpan _dedupWindow = options.Value.DedupWindow;

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

    public async Task<IReadOnlyList<KnownPost>> AppendAsync(string room, string epoch, long expectedHead, IReadOnlyList<StoredMessage> batch, int keep)
    {
        // ARGV: expected head, epoch, keep, log expiry (ms), now (ms), dedup cutoff (ms), dedup expiry (ms), count, then
        // the entries, then each entry's dedup field ("" for a post without a client id). The script refuses the append
        // when the stored head or epoch is not the one this activation wrote last, so offsets are never assigned twice.
        var now = clock.GetUtcNow();
        var values = new RedisValue[8 + (2 * batch.Count)];
        values[0] = expectedHead;
        values[1] = epoch;
        values[2] = keep;
        values[3] = (long)_idleExpiry.TotalMilliseconds;
        values[4] = now.ToUnixTimeMilliseconds();
        values[5] = (now - _dedupWindow).ToUnixTimeMilliseconds();
        values[6] = (long)(_dedupWindow + TimeSpan.FromMinutes(1)).TotalMilliseconds;
        values[7] = batch.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            values[8 + i] = JsonSerializer.SerializeToUtf8Bytes(batch[i], StoredMessageJson.Default.StoredMessage);
            values[8 + batch.Count + i] = batch[i] is { TabKey: { } tabKey, ClientId: { } clientId } ? DedupField(tabKey, clientId) : "";
        }

        RedisKey[] keys = [Key(room, "log"), Key(room, "meta"), Key(room, "ids"), Key(room, "idtimes")];
        var result = await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, keys, values);
        if (result.Resp2Type == ResultType.Array)
        {
            var pairs = (long[])result!;
            var known = new KnownPost[pairs.Length / 2];
            for (var i = 0; i < known.Length; i++)
            {
                known[i] = new KnownPost((int)pairs[2 * i], pairs[(2 * i) + 1]);
            }

            return known;
        }

        if ((long)result != -1)
        {
            throw new RoomLogConflictException(room, expectedHead, (long)result);
        }

        return [];
    }

    /// <summary>A post's identity in the dedup hash: its tab's grain key and client id (neither holds a newline).</summary>
    private static string DedupField(string tabKey, string clientId) => tabKey + "\n" + clientId;

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
        local n = tonumber(ARGV[8])
        local unpack = table.unpack or unpack
        -- Forget ids older than the dedup window first (a bounded number per append), so only those within it count.
        local old = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[6], 'LIMIT', 0, 1024)
        if #old > 0 then
          redis.call('HDEL', KEYS[3], unpack(old))
          redis.call('ZREM', KEYS[4], unpack(old))
        end
        -- Resends the room recorded within the dedup window (however many messages followed, whichever activation wrote
        -- them): answered with their offsets, and nothing is written, so the caller renumbers the rest.
        local known = {}
        for i = 1, n do
          local field = ARGV[8 + n + i]
          if field ~= '' then
            local offset = redis.call('HGET', KEYS[3], field)
            if offset then
              known[#known + 1] = i - 1
              known[#known + 1] = tonumber(offset)
            end
          end
        end
        if #known > 0 then
          return known
        end
        -- One RPUSH for the batch, then pop the entries over the cap from the head: LPOP with a count touches only
        -- the entries it removes, where LTRIM on a full log walks all of it on every batch.
        local length = redis.call('RPUSH', KEYS[1], unpack(ARGV, 9, 8 + n))
        local keep = tonumber(ARGV[3])
        if keep <= 0 then
          redis.call('DEL', KEYS[1])
        elseif length > keep then
          redis.call('LPOP', KEYS[1], length - keep)
        end
        redis.call('HSET', KEYS[2], 'epoch', ARGV[2], 'head', head + n)
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        -- Record each post's id with its offset and time.
        local recorded = false
        for i = 1, n do
          local field = ARGV[8 + n + i]
          if field ~= '' then
            redis.call('HSET', KEYS[3], field, head + i)
            redis.call('ZADD', KEYS[4], ARGV[5], field)
            recorded = true
          end
        end
        if recorded then
          redis.call('PEXPIRE', KEYS[3], ARGV[7])
          redis.call('PEXPIRE', KEYS[4], ARGV[7])
        end
        return -1
        """;

    private RedisKey Key(string room, string part) => $"{_prefix}:room:{{{room}}}:{part}";
}
