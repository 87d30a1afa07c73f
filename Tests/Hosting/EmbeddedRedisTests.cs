using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.Web.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Tests.Hosting;

/// <summary>
/// What the embedded Garnet server promises the scripts and the data that run on it: a script that reads and then
/// writes its keys runs alone on them, and its append-only file stays bounded while everything written survives a
/// restart on the same data directory.
/// </summary>
public sealed class EmbeddedRedisTests
{
    /// <summary>Work between a script's read and its write, long enough for another session's script to run meanwhile.</summary>
    private const string Spin = "local spin = 0 for i = 1, 20000 do spin = spin + i end";

    /// <summary>Each session is one connection: Garnet runs the scripts of different connections on different threads.</summary>
    private const int Sessions = 4;

    [Fact]
    public async Task ConcurrentReadThenWriteScriptsLoseNoUpdate()
    {
        using var garnet = EmbeddedRedis.Start(0, dataDirectory: null);
        var key = (RedisKey)("counter-" + Guid.NewGuid().ToString("N"));
        var script = $"local v = tonumber(redis.call('GET', KEYS[1]) or '0') {Spin} redis.call('SET', KEYS[1], v + 1) return v + 1";
        const int PerSession = 50;

        await RunConcurrentlyAsync(garnet, PerSession, db => db.ScriptEvaluateAsync(script, [key]));

        await using var reader = await ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString);
        Assert.Equal(Sessions * PerSession, (long)await reader.GetDatabase().StringGetAsync(key));
    }

    [Fact]
    public async Task AScriptNeverSeesAnotherScriptHalfDone()
    {
        using var garnet = EmbeddedRedis.Start(0, dataDirectory: null);
        var id = Guid.NewGuid().ToString("N");
        RedisKey[] pair = ["{" + id + "}:log", "{" + id + "}:head"];
        var append = $"redis.call('INCR', KEYS[1]) {Spin} redis.call('INCR', KEYS[2]) return 1";
        const string Read = "return tonumber(redis.call('GET', KEYS[1]) or '0') - tonumber(redis.call('GET', KEYS[2]) or '0')";
        var torn = 0;

        await RunConcurrentlyAsync(garnet, 40, async db =>
        {
            await db.ScriptEvaluateAsync(append, pair);
            if ((long)await db.ScriptEvaluateAsync(Read, pair) != 0)
            {
                Interlocked.Increment(ref torn);
            }
        });

        Assert.Equal(0, torn);
    }

    [Fact]
    public async Task TheAppendOnlyFileStaysBoundedAndADataDirectoryRecoversEverything()
    {
        const int Page = 1;
        var limit = EmbeddedRedis.AofSizeLimitBytes(Page);
        var directory = Path.Combine(Path.GetTempPath(), "orleanstabs-garnet-" + Guid.NewGuid().ToString("N"));
        var value = new string('v', 1000);
        const int Keys = 1000;
        var written = 0L;
        var round = 0;
        try
        {
            using (var garnet = EmbeddedRedis.Start(0, directory, pageMegabytes: Page))
            await using (var client = await ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString))
            {
                var db = client.GetDatabase();

                // Four times the bound, a bound's worth at a time, each followed by the checkpoint it triggers.
                while (written < 4 * limit)
                {
                    var r = round++;
                    await Task.WhenAll(Enumerable.Range(0, (int)(limit / value.Length)).Select(i => db.StringSetAsync("k" + (i % Keys), $"{r}:{i}:{value}")));
                    written += limit;
                    await Deadline.UntilAsync(() => AofBytes(directory) <= limit, $"the append-only file ({AofBytes(directory)} bytes) is within {limit} bytes after round {r}");
                }
            }

            using var restarted = EmbeddedRedis.Start(0, directory, pageMegabytes: Page);
            await using var again = await ConnectionMultiplexer.ConnectAsync(restarted.ConnectionString);
            var values = await again.GetDatabase().StringGetAsync([.. Enumerable.Range(0, Keys).Select(i => (RedisKey)("k" + i))]);
            var last = round - 1;
            var count = (int)(limit / value.Length);
            var expected = Enumerable.Range(0, Keys).Select(k => $"{last}:{Enumerable.Range(0, count).Last(i => i % Keys == k)}:{value}");
            Assert.Equal(expected, values.Select(v => (string?)v));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RecordsTheLogNoLongerHoldsInMemoryAreStillRead()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleanstabs-garnet-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var garnet = EmbeddedRedis.Start(0, directory, pageMegabytes: 1, memoryMegabytes: 4);
            await using var client = await ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString);
            var db = client.GetDatabase();
            await db.StringSetAsync("first:string", "kept");
            await db.HashSetAsync("first:hash", "field", "kept");

            // Objects that expired still count against the log's memory while their records are in it.
            for (var i = 0; i < 10; i++)
            {
                var expiring = (RedisKey)("expiring:" + i);
                await db.HashSetAsync(expiring, [.. Enumerable.Range(0, 2000).Select(f => new HashEntry("f" + f, new string('v', 200)))]);
                await db.KeyExpireAsync(expiring, TimeSpan.FromMilliseconds(1));
            }

            // Four times the log's memory written after them.
            var value = new string('w', 1000);
            await Task.WhenAll(Enumerable.Range(0, 16 * 1024).Select(i => db.StringSetAsync("fill:" + i, value)));

            Assert.Equal("kept", await db.StringGetAsync("first:string"));
            Assert.Equal("kept", await db.HashGetAsync("first:hash", "field"));
            Assert.Equal(value, await db.StringGetAsync("fill:0"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AWriteIsInTheAppendOnlyFileOnceTheDurabilityWaitIsOver()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleanstabs-garnet-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var garnet = EmbeddedRedis.Start(0, directory, pageMegabytes: 1);
            await using var client = await ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString);
            var db = client.GetDatabase();

            for (var i = 0; i < 50; i++)
            {
                var marker = Guid.NewGuid().ToString("N");
                await db.StringSetAsync("durable", marker);
                await garnet.WaitAsync();
                Assert.True(await AofHoldsAsync(directory, marker), $"write {i} is not in the append-only file once the wait is over");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Whether a file of the append-only log, as it is on disk now, holds <paramref name="marker"/>.</summary>
    private static async Task<bool> AofHoldsAsync(string directory, string marker)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(marker);
        foreach (var file in new DirectoryInfo(Path.Combine(directory, "AOF")).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes);
            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task RunConcurrentlyAsync(EmbeddedRedis garnet, int perSession, Func<IDatabase, Task> call)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(_ => ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString)));
        try
        {
            await Task.WhenAll(clients.Select(c => Task.Run(async () =>
            {
                var db = c.GetDatabase();
                await Task.WhenAll(Enumerable.Range(0, perSession).Select(_ => call(db)));
            })));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static long AofBytes(string directory) =>
        new DirectoryInfo(Path.Combine(directory, "AOF")) is { Exists: true } aof ? aof.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}
