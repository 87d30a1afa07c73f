using System.Net;
using System.Net.Sockets;
using Garnet;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// The all-in-one mode's in-process RESP server (Microsoft Garnet) on loopback, with Lua on (Orleans' Redis storage
/// needs it) and an append-only file under a data directory, so the production Redis providers run unchanged and
/// chat history survives a restart.
/// </summary>
public sealed class EmbeddedRedis : IDisposable
{
    private readonly GarnetServer _server;

    private readonly string? _password;

    private EmbeddedRedis(GarnetServer server, int port, string dataDirectory, string? password)
    {
        _server = server;
        Port = port;
        DataDirectory = dataDirectory;
        _password = password;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Where it keeps its checkpoints and append-only file.</summary>
    public string DataDirectory { get; }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    public string ConnectionString => _password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={_password}";

    /// <summary>
    /// Starts a server on <paramref name="port"/> (0: a free port), keeping data in <paramref name="dataDirectory"/>
    /// (null: memory only), requiring <paramref name="password"/> of its clients if one is given.
    /// </summary>
    public static EmbeddedRedis Start(int port, string? dataDirectory, string? password = null)
    {
        RaiseThreadPoolFloor();
        if (port == 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        // The hash index is allocated whole at start (Garnet's default is 128 MB); 8 MB holds about a million keys, far
        // more than an all-in-one server keeps, and takes 120 MB off its resident memory.
        List<string> args = ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--lua", "true", "--index", "8m"];
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            args.AddRange(["--checkpointdir", dataDirectory, "--device-type", "RandomAccess", "--aof", "--aof-commit-freq", "0", "--recover"]);
        }

        if (password is not null)
        {
            args.AddRange(["--auth", "Password", "--password", password]);
        }

        var server = new GarnetServer([.. args]);
        server.Start();
        return new EmbeddedRedis(server, port, dataDirectory ?? "", password);
    }

    public void Dispose() => _server.Dispose();

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
