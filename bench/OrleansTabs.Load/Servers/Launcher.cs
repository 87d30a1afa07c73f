using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansTabs.Load.Client;

namespace OrleansTabs.Load.Servers;

/// <summary>Starts a fresh deployment of a server on free loopback ports and waits until it is ready.</summary>
internal static class Launcher
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);

    /// <summary>The settings that lift OrleansTabs' per-socket and per-session limits, so they do not cap the load.</summary>
    internal static readonly string[] LiftedLimits =
    [
        "--OrleansTabs:Sockets:FramesPerSecond", "100000", "--OrleansTabs:Sockets:FrameBurst", "100000",
        "--OrleansTabs:Sessions:SendsPerSecond", "100000", "--OrleansTabs:Sessions:SendBurst", "100000",
        "--OrleansTabs:Auth:LoginsPerMinute", "1000000",
        "--OrleansTabs:Auth:DevelopmentLogin", "true", "--Logging:LogLevel:Default", "Warning",
    ];

    /// <summary>Starts <paramref name="kind"/> in <paramref name="topology"/> (split: OrleansTabs and signalr-redis) with that many front-ends.</summary>
    public static Task<Deployment> StartAsync(ServerKind kind, string topology, int frontEnds, CancellationToken cancellation, int silos = 2) =>
        StartAsync(ServerChoice.Of(kind), topology, frontEnds, cancellation, silos);

    /// <summary>
    /// Starts a server with the settings of <paramref name="choice"/> in every process of it. Split, OrleansTabs is
    /// redis-server, <paramref name="silos"/> silos and <paramref name="frontEnds"/> front-ends; signalr-redis is
    /// redis-server and <paramref name="frontEnds"/> SignalR servers on it. The other peers have nothing that would
    /// share a room between two servers, so they run all-in-one only.
    /// </summary>
    public static async Task<Deployment> StartAsync(ServerChoice choice, string topology, int frontEnds, CancellationToken cancellation, int silos = 2)
    {
        var kind = choice.Kind;
        if (topology == "split" && !kind.Scales())
        {
            throw new ArgumentException($"{kind.Name()} has no split topology: nothing shares its rooms between servers (orleanstabs and signalr-redis have one).");
        }

        var directory = Path.Combine(Path.GetTempPath(), $"orleanstabs-load-{kind.Name()}-{Guid.NewGuid():N}"[..48]);
        System.IO.Directory.CreateDirectory(directory);
        var deployment = new Deployment(kind, topology, directory) { Environment = choice.Environment };
        try
        {
            if (kind == ServerKind.OrleansTabs && topology == "split")
            {
                await StartSplitAsync(deployment, silos, frontEnds, cancellation);
            }
            else if (kind == ServerKind.SignalRRedis)
            {
                await StartBackplaneAsync(deployment, topology == "split" ? frontEnds : 1, cancellation);
            }
            else
            {
                deployment.FrontEnds.Add(await StartSingleAsync(deployment, kind, cancellation));
            }

            return deployment;
        }
        catch
        {
            deployment.KeepDirectory = true;
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a one-process server. A port chosen free can be taken before the server binds it (by any socket of the
    /// machine: an outgoing connection's local port comes from the same range); a server that exits for that reason is
    /// started again on other ports, twice at most.
    /// </summary>
    private static Task<Uri> StartSingleAsync(Deployment deployment, ServerKind kind, CancellationToken cancellation) =>
        StartOnFreePortAsync(deployment, kind, () => kind == ServerKind.OrleansTabs ? AllInOne(deployment.Directory, FreePort()) : Peer(kind, FreePort()), cancellation);

    /// <summary>Starts the process <paramref name="makeSpec"/> makes, on other ports when one it was given was taken first.</summary>
    private static async Task<Uri> StartOnFreePortAsync(Deployment deployment, ServerKind kind, Func<ProcessSpec> makeSpec, CancellationToken cancellation)
    {
        var spec = makeSpec();
        var process = deployment.Add(spec);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WaitReadyAsync(process, spec.Http!, cancellation);
                return spec.Http!;
            }
            catch (InvalidOperationException) when (attempt < 3 && process.HasExited && process.LogContains("address already in use"))
            {
                Reporting.Progress.Line($"{kind.Name()}: a port it was given was taken before it could bind it; starting it again on other ports");
                spec = makeSpec();
                process = deployment.StartAgain(spec.Role, _ => spec);
            }
        }
    }

    /// <summary>
    /// The all-in-one OrleansTabs server (co-hosted silo, embedded Garnet with its AOF in the run's folder), with every
    /// port it listens on chosen here, distinct: probes of its own could be given the HTTP port chosen here.
    /// </summary>
    public static ProcessSpec AllInOne(string directory, int port)
    {
        var dll = Repo.Assembly("Web", "OrleansTabs.Web.dll");
        var taken = new HashSet<int> { port };
        var management = FreePort(taken);
        string[] args =
        [
            dll, "--urls", Url(port), "--OrleansTabs:Hosting:GarnetDataDirectory", Path.Combine(directory, "garnet"),
            "--Orleans:SiloPort", Port(FreePort(taken)), "--Orleans:GatewayPort", Port(FreePort(taken)),
            "--OrleansTabs:Hosting:GarnetPort", Port(FreePort(taken)), .. ManagementPort(management), .. LiftedLimits,
        ];
        return new ProcessSpec("server", "dotnet", args, Path.GetDirectoryName(dll)!, new Dictionary<string, string>()) { Http = new Uri(Url(port)), Management = new Uri(Url(management)) };
    }

    /// <summary>The arguments that put an OrleansTabs process's metrics and dashboard on <paramref name="port"/>.</summary>
    public static string[] ManagementPort(int port) => ["--OrleansTabs:Management:Port", Port(port), "--OrleansTabs:Management:Host", "127.0.0.1"];

    /// <summary>Waits for a started process to answer <c>/health/ready</c> with 200 (or to exit, which fails).</summary>
    public static async Task WaitReadyAsync(ChildProcess process, Uri http, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(ReadyDeadline);
        while (true)
        {
            if (process.HasExited)
            {
                Console.Error.WriteLine($"{process.Role} exited before it was ready; log: {process.LogPath}");
                throw new InvalidOperationException($"{process.Role} exited before it was ready; its log ends with:\n{process.Tail(15)}");
            }

            try
            {
                if (await TabSession.StatusOfAsync(new Uri(http, "/health/ready"), deadline.Token) == 200)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                Console.Error.WriteLine($"{process.Role} was not ready in time; log: {process.LogPath}");
                throw new TimeoutException($"{process.Role} was not ready within {ReadyDeadline.TotalSeconds:F0} s.");
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"{process.Role} was not ready within {ReadyDeadline.TotalSeconds:F0} s; log: {process.LogPath}");
            }
        }
    }

    /// <summary>A free loopback TCP port not in <paramref name="taken"/>, which it is added to: the system may hand the same free port to two probes in a row.</summary>
    public static int FreePort(ISet<int> taken)
    {
        int port;
        do
        {
            port = FreePort();
        }
        while (!taken.Add(port));
        return port;
    }

    /// <summary>A free loopback TCP port.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts a process in the deployment and waits until it is ready.</summary>
    public static async Task StartAndWaitAsync(Deployment deployment, ProcessSpec spec, CancellationToken cancellation)
    {
        var process = deployment.Add(spec);
        await WaitReadyAsync(process, spec.Http!, cancellation);
    }

    private static ProcessSpec Peer(ServerKind kind, int port, string role = "server", int? redisPort = null)
    {
        var (project, dll) = kind == ServerKind.Kestrel
            ? ("bench/Peers/KestrelBroadcast", "KestrelBroadcast.dll")
            : ("bench/Peers/SignalRChat", "SignalRChat.dll");
        var path = Repo.Assembly(project, dll);
        string[] backplane = redisPort is { } redis ? ["--Redis", "127.0.0.1:" + Port(redis)] : [];
        string[] args = [path, "--urls", Url(port), "--Logging:LogLevel:Default", "Warning", .. backplane];
        return new ProcessSpec(role, "dotnet", args, Path.GetDirectoryName(path)!, new Dictionary<string, string>()) { Http = new Uri(Url(port)) };
    }

    /// <summary>
    /// redis-server with neither AOF nor snapshots (a backplane keeps nothing to recover), then the SignalR servers on it:
    /// <c>server</c> alone, or <c>server-1</c>, <c>server-2</c>, ... in the order of the deployment's front-ends.
    /// </summary>
    private static async Task StartBackplaneAsync(Deployment deployment, int servers, CancellationToken cancellation)
    {
        // Distinct ports: the system may hand the same free port to two probes in a row.
        var taken = new HashSet<int>();
        int Free()
        {
            lock (taken)
            {
                return FreePort(taken);
            }
        }

        var redisPort = Free();
        await StartRedisAsync(deployment, SplitTopology.RedisServer(deployment.Directory, redisPort, durable: false), cancellation);
        var kind = ServerKind.SignalRRedis;
        var roles = Enumerable.Range(1, servers).Select(i => servers == 1 ? "server" : $"server-{i}").ToList();
        deployment.FrontEnds.AddRange(await Task.WhenAll(roles.Select(role => StartOnFreePortAsync(deployment, kind, () => Peer(kind, Free(), role, redisPort), cancellation))));
    }

    /// <summary>redis-server (AOF on), the silos, then the front-ends as Orleans clients; one fresh cluster id.</summary>
    private static async Task StartSplitAsync(Deployment deployment, int silos, int frontEnds, CancellationToken cancellation)
    {
        var topology = SplitTopology.Create(deployment.Directory, silos, frontEnds, [.. LiftedLimits]);
        await StartRedisAsync(deployment, topology.Redis, cancellation);
        await Task.WhenAll(topology.Silos.Select(spec => StartAndWaitAsync(deployment, spec, cancellation)));
        deployment.FrontEnds.AddRange(topology.FrontEnds.Select(spec => spec.Http!));
        await Task.WhenAll(topology.FrontEnds.Select(spec => StartAndWaitAsync(deployment, spec, cancellation)));
    }

    /// <summary>Starts redis-server and waits until it answers PING.</summary>
    public static async Task<ChildProcess> StartRedisAsync(Deployment deployment, ProcessSpec redis, CancellationToken cancellation)
    {
        var process = deployment.Add(redis);
        await WaitRedisAsync(SplitTopology.RedisPort(redis), cancellation);
        return process;
    }

    /// <summary>Waits until redis-server on that loopback port answers PING (20 s at most).</summary>
    public static async Task WaitRedisAsync(int port, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                await socket.SendAsync("PING\r\n"u8.ToArray(), deadline.Token);
                var reply = new byte[16];
                var read = await socket.ReceiveAsync(reply, deadline.Token);
                if (Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    internal static string Url(int port) => "http://127.0.0.1:" + Port(port);

    internal static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
