using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Grains.Storage;
using OrleansTabs.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrleansTabs.Tests.Grains;

/// <summary>The reminder table on the test run's Redis (embedded Garnet or redis-server): the contract Orleans' reminder service relies on.</summary>
public sealed class RedisReminderTableTests : IAsyncLifetime
{
    private readonly string _serviceId = TestRedis.NewServiceId("reminders");
    private readonly RedisConnection _connection = new(OrleansTabsSiloExtensions.RedisConfiguration(TestRedis.ConnectionString));
    private RedisReminderTable _table = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _table = NewTable();
        await _table.StartAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task AnUpsertedRowIsReadBackWithTheETagItWasGivenAndAnUpsertReplacesItWithANewOne()
    {
        var grain = GrainId.Create("session", "s1");
        var start = new DateTime(2026, 12, 4, 17, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        var etag = await _table.UpsertRow(Entry(grain, "expiry", start, TimeSpan.FromMinutes(30)));

        var row = await _table.ReadRow(grain, "expiry");
        Assert.NotNull(row);
        Assert.Equal((grain, "expiry", etag, start, TimeSpan.FromMinutes(30)), (row.GrainId, row.ReminderName, row.ETag, row.StartAt, row.Period));

        var second = await _table.UpsertRow(Entry(grain, "expiry", start.AddMinutes(1), TimeSpan.FromMinutes(5)));
        Assert.NotEqual(etag, second);
        var rows = (await _table.ReadRows(grain)).Reminders;
        var only = Assert.Single(rows);
        Assert.Equal((second, start.AddMinutes(1), TimeSpan.FromMinutes(5)), (only.ETag, only.StartAt, only.Period));
        Assert.Null(await _table.ReadRow(grain, "other"));
    }

    [Fact]
    public async Task ARowIsRemovedOnlyWithItsCurrentETag()
    {
        var grain = GrainId.Create("session", "s2");
        var first = await _table.UpsertRow(Entry(grain, "expiry"));
        var current = await _table.UpsertRow(Entry(grain, "expiry"));

        Assert.False(await _table.RemoveRow(grain, "expiry", first!));
        Assert.False(await _table.RemoveRow(grain, "expiry", current![..^1]));
        Assert.NotNull(await _table.ReadRow(grain, "expiry"));

        Assert.True(await _table.RemoveRow(grain, "expiry", current));
        Assert.Null(await _table.ReadRow(grain, "expiry"));
        Assert.Empty((await _table.ReadRows(grain)).Reminders);
        Assert.DoesNotContain((await _table.ReadRows(0, 0)).Reminders, r => r.GrainId == grain);
        Assert.False(await _table.RemoveRow(grain, "expiry", current));
    }

    [Fact]
    public async Task AGrainsRowsAreItsOwnEvenWhenAnotherGrainsIdStartsWithItsId()
    {
        var grain = GrainId.Create("session", "ab");
        var longer = GrainId.Create("session", "abc");
        await _table.UpsertRow(Entry(grain, "one"));
        await _table.UpsertRow(Entry(grain, "two"));
        await _table.UpsertRow(Entry(longer, "one"));

        var rows = (await _table.ReadRows(grain)).Reminders;
        Assert.Equal(["one", "two"], rows.Select(r => r.ReminderName).Order());
        Assert.All(rows, r => Assert.Equal(grain, r.GrainId));
        Assert.Equal("one", Assert.Single((await _table.ReadRows(longer)).Reminders).ReminderName);
    }

    [Fact]
    public async Task ARangeReadReturnsTheRowsWhoseGrainHashIsAfterItsBeginUpToItsEndAndWrapsAroundTheRing()
    {
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("session", "range-" + i)).ToList();
        foreach (var grain in grains)
        {
            await _table.UpsertRow(Entry(grain, "expiry"));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        var bounds = new List<(uint Begin, uint End)>
        {
            (0, uint.MaxValue), (hashes[10], hashes[120]), (hashes[120], hashes[10]), (hashes[50], hashes[50]), (hashes[^1], hashes[0]),
            (uint.MaxValue / 3, uint.MaxValue / 3 * 2), (uint.MaxValue / 3 * 2, uint.MaxValue / 3),
        };
        foreach (var (begin, end) in bounds)
        {
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();
            var actual = (await _table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task RowsOfOrleansOwnRedisTableAreMovedInAtStartWithTheirETagsAndARowWrittenSinceIsKept()
    {
        var serviceId = TestRedis.NewServiceId("reminders-legacy");
        var moved = GrainId.Create("session", "old");
        var rewritten = GrainId.Create("session", "rewritten");
        var db = _connection.Multiplexer.GetDatabase();
        var legacyKey = new RedisKey(serviceId + "/reminders");
        await db.SortedSetAddAsync(legacyKey, Legacy(moved, "expiry", "etag-1", "2026-12-04T17:36:03.5640447Z", "00:30:00"), 0);
        await db.SortedSetAddAsync(legacyKey, Legacy(rewritten, "expiry", "etag-2", "2026-12-04T17:36:03.0000000Z", "00:30:00"), 0);
        await db.SortedSetAddAsync(legacyKey, "not a row", 0);

        var table = NewTable(serviceId);
        var newer = await table.UpsertRow(Entry(rewritten, "expiry"));
        await table.StartAsync();

        var row = await table.ReadRow(moved, "expiry");
        Assert.NotNull(row);
        Assert.Equal(("etag-1", new DateTime(2026, 12, 4, 17, 36, 3, DateTimeKind.Utc).AddTicks(5640447), TimeSpan.FromMinutes(30)), (row.ETag, row.StartAt, row.Period));
        Assert.Equal(newer, (await table.ReadRow(rewritten, "expiry"))?.ETag);
        Assert.True(await table.RemoveRow(moved, "expiry", "etag-1"));

        // What could be read has left the older set; what could not stays there, for an operator to see.
        Assert.Equal(["not a row"], (await db.SortedSetRangeByRankAsync(legacyKey)).Select(v => (string?)v));
        await db.KeyDeleteAsync(legacyKey);
    }

    private RedisReminderTable NewTable(string? serviceId = null) =>
        new(_connection, AnsweredWhenDurable.Instance, Options.Create(new ClusterOptions { ServiceId = serviceId ?? _serviceId, ClusterId = "test" }), NullLogger<RedisReminderTable>.Instance);

    private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Entry(GrainId grain, string name, DateTime? start = null, TimeSpan? period = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = start ?? new DateTime(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc),
        Period = period ?? TimeSpan.FromMinutes(30),
    };

    /// <summary>A row as Orleans' own Redis table writes it: the items of a JSON array of strings.</summary>
    private static string Legacy(GrainId grain, string name, string etag, string start, string period) =>
        string.Join(',', new[] { grain.GetUniformHashCode().ToString("X8", System.Globalization.CultureInfo.InvariantCulture), grain.ToString(), name, etag, start, period }
            .Select(s => System.Text.Json.JsonSerializer.Serialize(s)));
}
