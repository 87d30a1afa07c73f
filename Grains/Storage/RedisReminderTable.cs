using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansTabs.Grains.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Storage;

/// <summary>
/// The reminder table in Redis, with every operation a point lookup or a range by score: a sorted set indexes the
/// reminders by their grain's uniform hash (<c>…:index</c>, member = grain id and reminder name) and a hash holds each
/// one's row (<c>…:rows</c>: ETag, start, period). Orleans' own Redis table keeps the whole table in one sorted set read
/// and updated by lexicographic ranges, which the embedded Garnet server answers by walking the set: every session's
/// sign-in (it registers the session's expiry reminder) would cost time in proportion to the number of live
/// sessions, with all of the silo's storage traffic queued behind it on the one connection.
/// Rows the older table left in <c>{ServiceId}/reminders</c> are moved here at start-up, with their ETags.
/// </summary>
public sealed partial class RedisReminderTable(RedisConnection connection, IStoreDurability durability, IOptions<ClusterOptions> cluster, ILogger<RedisReminderTable> logger) : IReminderTable
{
    private readonly RedisKey _index = $"{{{cluster.Value.ServiceId}/reminders}}:index";
    private readonly RedisKey _rows = $"{{{cluster.Value.ServiceId}/reminders}}:rows";
    private readonly string _legacyName = $"{cluster.Value.ServiceId}/reminders";

    private RedisKey LegacyKey => _legacyName;

    private IDatabase Db => connection.Multiplexer.GetDatabase();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await connection.OpenAsync().WaitAsync(cancellationToken);
        await MigrateLegacyRowsAsync();
    }

    public Task Init() => StartAsync();

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var hash = grainId.GetUniformHashCode();
        var prefix = MemberPrefix(grainId);
        var members = await Db.SortedSetRangeByScoreAsync(_index, hash, hash);
        return await ReadAsync(members.Where(m => ((string)m!).StartsWith(prefix, StringComparison.Ordinal)).ToArray());
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        // (begin, end]; when begin >= end the range wraps around the ring: (begin, max] and [0, end].
        var members = begin < end
            ? await Db.SortedSetRangeByScoreAsync(_index, begin, end, Exclude.Start)
            : [.. await Db.SortedSetRangeByScoreAsync(_index, begin, double.PositiveInfinity, Exclude.Start),
               .. await Db.SortedSetRangeByScoreAsync(_index, double.NegativeInfinity, end)];
        return await ReadAsync(members);
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var member = Member(grainId, reminderName);
        return await Db.HashGetAsync(_rows, member) is { IsNull: false } row ? ToEntry(member, row!) : null;
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        var member = Member(entry.GrainId, entry.ReminderName);
        await Db.ScriptEvaluateAsync(UpsertScript, [_index, _rows], [member, entry.GrainId.GetUniformHashCode(), Row(etag, entry.StartAt, entry.Period)]);
        await durability.WaitAsync();
        return etag;
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var removed = await Db.ScriptEvaluateAsync(RemoveScript, [_index, _rows], [Member(grainId, reminderName), eTag]);
        await durability.WaitAsync();
        return (long)removed == 1;
    }

    public Task TestOnlyClearTable() => Db.KeyDeleteAsync([_index, _rows]);

    private async Task<ReminderTableData> ReadAsync(RedisValue[] members)
    {
        if (members.Length == 0)
        {
            return new ReminderTableData();
        }

        var rows = await Db.HashGetAsync(_rows, members);
        var entries = new List<ReminderEntry>(members.Length);
        for (var i = 0; i < members.Length; i++)
        {
            // A member whose row is gone was removed between the two reads: it is not in the table any more.
            if (!rows[i].IsNull)
            {
                entries.Add(ToEntry(members[i]!, rows[i]!));
            }
        }

        return new ReminderTableData(entries);
    }

    /// <summary>
    /// Moves the rows of Orleans' own Redis table, if any, into this one, keeping their ETags: a row this table holds
    /// already (written since) is kept. Safe when several silos start at once: a row is copied (one script), then removed from the older set.
    /// </summary>
    private async Task MigrateLegacyRowsAsync()
    {
        var legacy = await Db.SortedSetRangeByRankAsync(LegacyKey);
        if (legacy.Length == 0)
        {
            return;
        }

        var moved = 0;
        foreach (var value in legacy)
        {
            if (ParseLegacy(value) is not { } row)
            {
                LogUnreadableLegacyRow(logger, (string?)value ?? "");
                continue;
            }

            await Db.ScriptEvaluateAsync(MigrateScript, [_index, _rows], [Member(row.GrainId, row.ReminderName), row.GrainId.GetUniformHashCode(), Row(row.ETag!, row.StartAt, row.Period)]);
            await Db.SortedSetRemoveAsync(LegacyKey, value);
            moved++;
        }

        LogMigrated(logger, moved, _legacyName);
    }

    /// <summary>
    /// A row of Orleans' own table: "hash","grain id","reminder name","etag","start (round-trip)","period (c)", the items
    /// of a JSON array. Null if it is not one.
    /// </summary>
    private static ReminderEntry? ParseLegacy(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>($"[{value}]") is { Length: 6 } segments
                ? new ReminderEntry
                {
                    GrainId = GrainId.Parse(segments[1]),
                    ReminderName = segments[2],
                    ETag = segments[3],
                    StartAt = DateTime.Parse(segments[4], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    Period = TimeSpan.Parse(segments[5], CultureInfo.InvariantCulture),
                }
                : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>The index member and row field of a reminder: the grain id's length, ':', the grain id, the reminder name.</summary>
    internal static string Member(GrainId grainId, string reminderName) => MemberPrefix(grainId) + reminderName;

    private static string MemberPrefix(GrainId grainId)
    {
        var id = grainId.ToString();
        return string.Concat(id.Length.ToString(CultureInfo.InvariantCulture), ":", id);
    }

    private static string Row(string etag, DateTime startAt, TimeSpan period) =>
        string.Join('|', etag, startAt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture), period.Ticks.ToString(CultureInfo.InvariantCulture));

    private static ReminderEntry ToEntry(string member, string row)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        var length = int.Parse(member.AsSpan(0, colon), CultureInfo.InvariantCulture);
        var parts = row.Split('|');
        return new ReminderEntry
        {
            GrainId = GrainId.Parse(member.Substring(colon + 1, length)),
            ReminderName = member[(colon + 1 + length)..],
            ETag = parts[0],
            StartAt = new DateTime(long.Parse(parts[1], CultureInfo.InvariantCulture), DateTimeKind.Utc),
            Period = TimeSpan.FromTicks(long.Parse(parts[2], CultureInfo.InvariantCulture)),
        };
    }

    // KEYS: index, rows. ARGV: member, grain hash, row.
    private const string UpsertScript = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    // KEYS: index, rows. ARGV: member, expected ETag. Removes the row only if its ETag is the expected one.
    private const string RemoveScript = """
        local row = redis.call('HGET', KEYS[2], ARGV[1])
        if not row or string.sub(row, 1, string.len(ARGV[2]) + 1) ~= ARGV[2] .. '|' then
          return 0
        end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        return 1
        """;

    // KEYS: index, rows. ARGV: member, grain hash, row. A row written here since is kept.
    private const string MigrateScript = """
        if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 1 then
          redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        end
        return 1
        """;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reminder row of the older table could not be read and was left there: {Row}")]
    private static partial void LogUnreadableLegacyRow(ILogger logger, string row);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} reminders from {Key} into the reminder index.")]
    private static partial void LogMigrated(ILogger logger, int count, string key);
}
