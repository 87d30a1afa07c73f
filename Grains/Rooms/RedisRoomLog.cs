using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Storage;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The room log in Redis: a list of JSON entries (<c>…:log</c>), a hash with epoch and head (<c>…:meta</c>), a hash of
/// member locations (<c>…:members</c>), and the dedup window: a hash of (tab, client id) to offset (<c>…:ids</c>) with a
/// sorted set of when each was posted (<c>…:idtimes</c>) to trim it by time. A batch is one Lua script: the resend check,
/// RPUSH + LPOP of the excess + HSET of the head, and the ids, so the log, its head, its trim and its ids move together.
/// </summary>
public sealed class RedisRoomLog(RedisConnection connection, IStoreDurability durability, IOptions<RoomOptions> options, IOptions<ClusterOptions> cluster, TimeProvider clock) : IRoomLog
{
    private readonly string _prefix = $"{options.Value.KeyPrefix}:{cluster.Value.ServiceId}";
    private readonly TimeSpan _dedupWindow = options.Value.DedupWindow;

    private const int Header = 11;

    // The ids older than the dedup window are forgotten at most this often (each trim is three commands).
    private static readonly TimeSpan IdTrimInterval = TimeSpan.FromSeconds(1);

    // A room idle for longer than its retention holds nothing worth keeping: its keys expire after that. The expiries
    // are renewed at most once per refresh interval (each renewal is two commands on every key of the room), always
    // within the slack above what must be kept: the log and head at least MaxAge after the last append, the ids at
    // least the dedup window after the last id recorded. The ids' interval is also at most half the window, so a hash
    // the trim emptied is always past it (see the script).
    private static readonly TimeSpan IdleExpirySlack = TimeSpan.FromHours(1);
    private static readonly TimeSpan IdleExpiryRefresh = IdleExpirySlack / 2;
    private static readonly TimeSpan DedupExpirySlack = TimeSpan.FromMinutes(1);
    private readonly TimeSpan _idleExpiry = options.Value.MaxAge + IdleExpirySlack;
    private readonly TimeSpan _dedupExpiryRefresh = TimeSpan.FromTicks(Math.Min(DedupExpirySlack.Ticks, options.Value.DedupWindow.Ticks) / 2);

    public async Task<(string? Epoch, long Head, List<StoredMessage> Messages)> LoadAsync(string room)
    {
        var db = connection.Multiplexer.GetDatabase();
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
        // ARGV: expected head, epoch, keep, log expiry (ms), now (ms), dedup cutoff (ms), dedup expiry (ms), count, log
        // expiry refresh interval (ms), dedup expiry refresh interval (ms), id trim interval (ms), then the entries, then
        // each entry's dedup field ("" for a post without a client id). The script refuses the append when the stored
        // head or epoch is not the one this activation wrote last, so offsets are never assigned twice.
        var now = clock.GetUtcNow();
        var values = new RedisValue[Header + (2 * batch.Count)];
        values[0] = expectedHead;
        values[1] = epoch;
        values[2] = keep;
        values[3] = (long)_idleExpiry.TotalMilliseconds;
        values[4] = now.ToUnixTimeMilliseconds();
        values[5] = (now - _dedupWindow).ToUnixTimeMilliseconds();
        values[6] = (long)(_dedupWindow + DedupExpirySlack).TotalMilliseconds;
        values[7] = batch.Count;
        values[8] = (long)IdleExpiryRefresh.TotalMilliseconds;
        values[9] = (long)_dedupExpiryRefresh.TotalMilliseconds;
        values[10] = (long)IdTrimInterval.TotalMilliseconds;
        for (var i = 0; i < batch.Count; i++)
        {
            values[Header + i] = JsonSerializer.SerializeToUtf8Bytes(batch[i], StoredMessageJson.Stored.StoredMessage);
            values[Header + batch.Count + i] = batch[i] is { TabKey: { } tabKey, ClientId: { } clientId } ? DedupField(tabKey, clientId) : "";
        }

        RedisKey[] keys = [Key(room, "log"), Key(room, "meta"), Key(room, "ids"), Key(room, "idtimes")];
        var result = await connection.Multiplexer.GetDatabase().ScriptEvaluateAsync(AppendScript, keys, values);
        await durability.WaitAsync();
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
        var entries = await connection.Multiplexer.GetDatabase().HashGetAllAsync(Key(room, "members"));
        return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
    }

    public async Task SetMembersAsync(string room, IReadOnlyCollection<KeyValuePair<string, string?>> locations)
    {
        var members = Key(room, "members");
        var set = locations.Where(l => l.Value is not null).Select(l => new HashEntry(l.Key, l.Value)).ToArray();
        var removed = locations.Where(l => l.Value is null).Select(l => (RedisValue)l.Key).ToArray();

        // One round trip: the commands are pipelined in a batch.
        var batch = connection.Multiplexer.GetDatabase().CreateBatch();
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
        await durability.WaitAsync();
    }

    private const string AppendScript = """
        local meta = redis.call('HMGET', KEYS[2], 'head', 'epoch', 'renewed', 'idsrenewed', 'trimmed')
        local head = tonumber(meta[1] or '0')
        local epoch = meta[2]
        if head ~= tonumber(ARGV[1]) or (epoch and epoch ~= ARGV[2]) then
          return head
        end
        local n = tonumber(ARGV[8])
        local now = tonumber(ARGV[5])
        local first = 11
        local unpack = table.unpack or unpack
        -- Forget ids older than the dedup window first (a bounded number per append), so only those within it count;
        -- at most once per trim interval (an id may outlive the window by that much: a resend a little later than the
        -- window is still answered with its offset), and again on the next append while a trim finds a full bound.
        local trimmed = nil
        if not meta[5] or now - tonumber(meta[5]) >= tonumber(ARGV[11]) then
          local old = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[6], 'LIMIT', 0, 1024)
          if #old > 0 then
            redis.call('HDEL', KEYS[3], unpack(old))
            redis.call('ZREM', KEYS[4], unpack(old))
          end
          if #old < 1024 then
            trimmed = now
          end
        end
        -- Resends the room recorded within the dedup window (however many messages followed, whichever activation wrote
        -- them): answered with their offsets, and nothing is written, so the caller renumbers the rest. One HMGET for
        -- every id of the batch (at[j] is the batch index of fields[j]).
        local fields, at = {}, {}
        for i = 1, n do
          local field = ARGV[first + n + i]
          if field ~= '' then
            fields[#fields + 1] = field
            at[#at + 1] = i - 1
          end
        end
        if #fields > 0 then
          local offsets = redis.call('HMGET', KEYS[3], unpack(fields))
          local known = {}
          for j = 1, #fields do
            if offsets[j] then
              known[#known + 1] = at[j]
              known[#known + 1] = tonumber(offsets[j])
            end
          end
          if #known > 0 then
            return known
          end
        end
        -- One RPUSH for the batch, then pop the entries over the cap from the head: LPOP with a count touches only
        -- the entries it removes, where LTRIM on a full log walks all of it on every batch.
        local length = redis.call('RPUSH', KEYS[1], unpack(ARGV, first + 1, first + n))
        local keep = tonumber(ARGV[3])
        if keep <= 0 then
          redis.call('DEL', KEYS[1])
        elseif length > keep then
          redis.call('LPOP', KEYS[1], length - keep)
        end
        -- The expiries are renewed when their interval has passed (the head's hash remembers when), and at once for a
        -- log this append created: a key that expired or was emptied was last renewed longer ago than that.
        local written = {'epoch', ARGV[2], 'head', head + n}
        if trimmed then
          written[#written + 1] = 'trimmed'
          written[#written + 1] = trimmed
        end
        if not meta[3] or now - tonumber(meta[3]) >= tonumber(ARGV[9]) or length == n then
          written[#written + 1] = 'renewed'
          written[#written + 1] = now
          redis.call('HSET', KEYS[2], unpack(written))
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          redis.call('PEXPIRE', KEYS[2], ARGV[4])
        else
          redis.call('HSET', KEYS[2], unpack(written))
        end
        -- Record each post's id with its offset and time: one HSET and one ZADD for the batch.
        local recorded = #fields > 0
        if recorded then
          local offsets, times = {}, {}
          for j = 1, #fields do
            offsets[2 * j - 1] = fields[j]
            offsets[2 * j] = head + at[j] + 1
            times[2 * j - 1] = ARGV[5]
            times[2 * j] = fields[j]
          end
          redis.call('HSET', KEYS[3], unpack(offsets))
          redis.call('ZADD', KEYS[4], unpack(times))
        end
        -- The ids' hash is only ever emptied by the trim above (the id recorded at its last renewal is older than the
        -- window, at least twice the interval) or by its expiry (later still): a hash this append created is renewed.
        if recorded and (not meta[4] or now - tonumber(meta[4]) >= tonumber(ARGV[10])) then
          redis.call('HSET', KEYS[2], 'idsrenewed', now)
          redis.call('PEXPIRE', KEYS[3], ARGV[7])
          redis.call('PEXPIRE', KEYS[4], ARGV[7])
        end
        return -1
        """;

    private RedisKey Key(string room, string part) => $"{_prefix}:room:{{{room}}}:{part}";
}
