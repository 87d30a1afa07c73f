using System.Net;
using System.Net.Sockets;
using Garnet;
using OrleansTabs.Grains.Storage;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// The all-in-one mode's in-process RESP server (Microsoft Garnet) on loopback, with Lua on (Orleans' Redis storage
/// needs it) and an append-only file under a data directory, so the production Redis providers run unchanged and
/// chat history survives a restart. A script runs with its keys locked (the check-and-set scripts of the room log and of
/// Orleans' storage and membership rely on it). With a data directory every write is committed to the append-only file
/// at once, and a checkpoint is taken whenever that file outgrows a bound, which truncates it.
/// <para>
/// Garnet answers a write before its commit; what OrleansTabs acknowledges waits for it as an
/// <see cref="IStoreDurability"/>, asynchronously. Garnet's own commit wait is not used: it blocks the thread that
/// answers the connection until the commit, and here that thread is one of the process's shared pool. The wait covers
/// this process's writes only, which is why the server listens on loopback alone.
/// </para>
/// </summary>
public sealed class EmbeddedRedis : IStoreDurability, IDisposable
{
    private readonly GarnetServer _server;

    private readonly string? _password;

    private readonly bool _commitWait;

    private EmbeddedRedis(GarnetServer server, int port, string dataDirectory, string? password, bool commitWait)
    {
        _server = server;
        Port = port;
        DataDirectory = dataDirectory;
        _password = password;
        _commitWait = commitWait;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Where it keeps its checkpoints and append-only file.</summary>
    public string DataDirectory { get; }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    public string ConnectionString => _password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={_password}";

    /// <summary>The main log's page size in megabytes; the append-only file's sizes are multiples of it.</summary>
    public const int DefaultPageMegabytes = 4;

    /// <summary>
    /// Starts a server on <paramref name="port"/> (0: a free port), keeping data in <paramref name="dataDirectory"/>
    /// (null: memory only), requiring <paramref name="password"/> of its clients if one is given. The append-only file
    /// is checkpointed and truncated once it exceeds <see cref="AofSizeLimitBytes"/> of <paramref name="pageMegabytes"/>.
    /// <paramref name="commitWait"/>: <see cref="WaitAsync"/> completes only once the writes answered before it are
    /// committed to disk; else at once, as with Redis' <c>appendfsync everysec</c>. <paramref name="memoryMegabytes"/>: the
    /// log's memory, beyond which its oldest records are kept on disk only (null: Garnet's default).
    /// </summary>
    public static EmbeddedRedis Start(int port, string? dataDirectory, string? password = null, int pageMegabytes = DefaultPageMegabytes, bool commitWait = true, int? memoryMegabytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageMegabytes, 1);
        RaiseThreadPoolFloor();
        if (port == 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        // The hash index is allocated whole at start, so it is sized for what an all-in-one server keeps rather than
        // Garnet's larger default, which would only add to its resident memory. A script that checks before it
        // writes (the room log's head and epoch, an ETag, a membership version) must not interleave with another on the
        // same keys: scripts run with their keys locked.
        List<string> args = ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--lua", "true", "--lua-transaction-mode", "--index", "8m"];
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            args.AddRange(["--checkpointdir", dataDirectory, "--device-type", "RandomAccess", "--aof", "--aof-commit-freq", "0", "--recover"]);

            // The log's memory is bounded (Garnet's default unless memoryMegabytes), and the objects it holds count
            // against that bound until their records leave memory, expired or not. Without a storage tier the records
            // that leave memory are gone; with it they are written to the log's files and read from there.
            args.AddRange(["--storage-tier", "--logdir", Path.Combine(dataDirectory, "log")]);
            if (memoryMegabytes is { } memory)
            {
                args.AddRange(["--memory", Megabytes(memory)]);
            }

            // An acked chat send is a promise that it is on disk: each write is committed at once (the device writes
            // through, so a committed page is on disk), and what is acked waits for that commit in WaitAsync.

            // The append-only file is truncated only by a checkpoint and only in whole segments: a checkpoint is taken
            // when it holds more than four segments, checked every second. Garnet requires the AOF page to be at least
            // twice the main log's page and a segment to hold a page, so every size follows from the main page.
            args.AddRange(["--page", Megabytes(pageMegabytes), "--aof-page-size", Megabytes(2 * pageMegabytes), "--aof-memory", Megabytes(4 * pageMegabytes),
                "--aof-segment-size", Megabytes(2 * pageMegabytes), "--aof-size-limit", Megabytes(AofSizeLimitBytes(pageMegabytes) >> 20),
                "--aof-size-limit-enforce-frequency", "1"]);
        }

        if (password is not null)
        {
            args.AddRange(["--auth", "Password", "--password", password]);
        }

        var server = new GarnetServer([.. args]);
        server.Start();
        return new EmbeddedRedis(server, port, dataDirectory ?? "", password, commitWait && dataDirectory is not null);
    }

    /// <summary>The size of append-only file over which a checkpoint truncates it, for a main page of <paramref name="pageMegabytes"/>.</summary>
    public static long AofSizeLimitBytes(int pageMegabytes = DefaultPageMegabytes) => (long)8 * pageMegabytes << 20;

    /// <summary>
    /// Completes once the append-only file holds on disk every write answered before the call: a commit that already
    /// covers them, or the next one (each write starts one at once).
    /// </summary>
    public ValueTask WaitAsync(CancellationToken cancellation = default)
    {
        if (!_commitWait)
        {
            return default;
        }

        var commit = _server.Store.WaitForCommitAsync(cancellation);
        return commit.IsCompletedSuccessfully ? default : Awaited(commit);

        static async ValueTask Awaited(ValueTask<bool> commit) => await commit;
    }

    public void Dispose() => _server.Dispose();

    private static string Megabytes(long megabytes) => megabytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m";

    /// <summary>
    /// Garnet in this process answers on the shared thread pool. A start-up burst of work that must block a thread (the
    /// Data Protection key repository is synchronous by design; several hosts starting at once) must not leave Redis
    /// without threads until the pool's slow growth catches up: the pool starts with enough workers for both.
    /// </summary>
    private static void RaiseThreadPoolFloor()
    {
        const int PerCore = 8;
        ThreadPool.GetMinThreads(out var workers, out var completion);
        var floor = Math.Max(workers, Environment.ProcessorCount * PerCore);
        if (floor > workers)
        {
            ThreadPool.SetMinThreads(floor, completion);
        }
    }
}
