using System.Diagnostics;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// The fault rig's deployment: redis-server (AOF on, fsync before each reply), two silos and two front-ends as real
/// processes on loopback, each on ports fixed for the whole run, so that any of them can be killed, frozen or restarted
/// and comes back where it was.
/// </summary>
internal sealed class RigCluster : IFrontEnds, IAsyncDisposable
{
    /// <summary>Session expiry settings short enough for the expiry scenario, long enough to outlast a full restart.</summary>
    public static readonly TimeSpan SlidingExpiration = TimeSpan.FromSeconds(40);

    /// <summary>The server heartbeat: a silent tab is closed (4008) after twice this, later than its session expires.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    /// <summary>How many canary rounds in a row make the deployment whole.</summary>
    private const int CanaryRounds = 3;

    private readonly Deployment _deployment;
    private readonly SplitTopology _topology;

    private RigCluster(Deployment deployment, SplitTopology topology)
    {
        _deployment = deployment;
        _topology = topology;
    }

    /// <summary>The front-ends' HTTP addresses (A is 0, B is 1).</summary>
    public IReadOnlyList<Uri> FrontEnds => [.. _topology.FrontEnds.Select(s => s.Http!)];

    /// <summary>The front-ends whose process is running.</summary>
    public IReadOnlyList<Uri> LiveFrontEnds => [.. _topology.FrontEnds.Where(s => !_deployment.Process(s.Role).HasExited).Select(s => s.Http!)];

    /// <summary>The silos' roles.</summary>
    public IReadOnlyList<string> Silos => [.. _topology.Silos.Select(s => s.Role)];

    /// <summary>The front-ends' roles.</summary>
    public IReadOnlyList<string> Webs => [.. _topology.FrontEnds.Select(s => s.Role)];

    /// <summary>The run's folder (logs, Redis data), kept when a scenario failed.</summary>
    public string Directory => _deployment.Directory;

    /// <summary>Whether scenario 6 restarts the silos on other ports (<c>--move-silos</c>).</summary>
    public bool MovedSilos { get; init; }

    /// <summary>Keep the folder after the run.</summary>
    public bool Keep
    {
        get => _deployment.KeepDirectory;
        set => _deployment.KeepDirectory = value;
    }

    /// <summary>Starts every process and waits until each is ready; <paramref name="extra"/> settings go to every silo and front-end.</summary>
    public static async Task<RigCluster> StartAsync(IReadOnlyList<string> extra, bool moveSilos, CancellationToken cancellation)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleanstabs-faults-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        string[] settings =
        [
            .. Launcher.LiftedLimits,
            "--OrleansTabs:Sessions:SlidingExpiration", SlidingExpiration.ToString(), "--OrleansTabs:Sessions:ExpiryCheckInterval", "00:00:01",
            "--OrleansTabs:Sessions:ActivityReportInterval", "00:00:02", "--OrleansTabs:Sockets:Heartbeat", Heartbeat.ToString(),
            "--OrleansTabs:FrontEnd:DrainWindow", DrainScenarios.Window.ToString(),
            "--Logging:Console:TimestampFormat", "HH:mm:ss.fff ", .. extra,
        ];
        var topology = SplitTopology.Create(directory, 2, 2, settings);
        var deployment = new Deployment(ServerKind.OrleansTabs, "split", directory);
        var cluster = new RigCluster(deployment, topology) { MovedSilos = moveSilos };
        try
        {
            await Launcher.StartRedisAsync(deployment, topology.Redis, cancellation);
            await Task.WhenAll(topology.Silos.Select(spec => Launcher.StartAndWaitAsync(deployment, spec, cancellation)));
            await Task.WhenAll(topology.FrontEnds.Select(spec => Launcher.StartAndWaitAsync(deployment, spec, cancellation)));
            return cluster;
        }
        catch
        {
            cluster.Keep = true;
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The current process of a role.</summary>
    public ChildProcess Process(string role) => _deployment.Process(role);

    /// <summary>kill -9.</summary>
    public Task KillAsync(string role) => _deployment.Process(role).KillAsync();

    /// <summary>SIGTERM (a clean stop), SIGKILL after <paramref name="timeout"/> (10 s).</summary>
    public Task StopAsync(string role, TimeSpan? timeout = null) => _deployment.Process(role).StopAsync(timeout);

    /// <summary>The lines a silo's or front-end's log got since <paramref name="mark"/> (a length from <see cref="LogMarks"/>).</summary>
    public string[] LogSince(string role, long mark)
    {
        try
        {
            using var stream = new FileStream(LogOf(role), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Position = Math.Min(mark, stream.Length);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n');
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Starts an ended role again from its spec (same ports, same data) and waits until it is ready.</summary>
    public async Task StartAgainAsync(string role, CancellationToken cancellation)
    {
        var process = _deployment.StartAgain(role);
        var spec = _deployment.Spec(role);
        if (role == "redis")
        {
            await Launcher.WaitRedisAsync(SplitTopology.RedisPort(spec), cancellation);
        }
        else
        {
            await Launcher.WaitReadyAsync(process, spec.Http!, cancellation);
        }
    }

    /// <summary>Starts several ended roles at once; returns the seconds until the last was ready.</summary>
    public async Task<double> StartAgainAsync(IEnumerable<string> roles, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(roles.Select(role => StartAgainAsync(role, cancellation)));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Gives an ended silo new silo and gateway ports for its next start: it comes back at another endpoint, as a
    /// container recreated with a new address does, so its old membership entry is not superseded by it.
    /// </summary>
    public void MoveSilo(string role) => _deployment.Respec(role, spec =>
    {
        // Two distinct ports, neither of them the old ones.
        bool IsPort(int i) => i > 0 && spec.Args[i - 1] is "--Orleans:SiloPort" or "--Orleans:GatewayPort";
        var taken = spec.Args.Where((_, i) => IsPort(i)).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        return spec with { Args = [.. spec.Args.Select((arg, i) => IsPort(i) ? Launcher.Port(Launcher.FreePort(taken)) : arg)] };
    });

    /// <summary>After a scenario, pass or fail: thaws what is frozen and starts again whatever is not running.</summary>
    public async Task HealAsync(CancellationToken cancellation)
    {
        var roles = new[] { _topology.Redis.Role }.Concat(Silos).Concat(Webs).ToList();
        foreach (var role in roles)
        {
            _deployment.Process(role).Thaw();
        }

        if (_deployment.Process("redis").HasExited)
        {
            await StartAgainAsync("redis", cancellation);
        }

        await StartAgainAsync(Silos.Where(r => _deployment.Process(r).HasExited), cancellation);
        await StartAgainAsync(Webs.Where(r => _deployment.Process(r).HasExited), cancellation);
    }

    /// <summary>
    /// Waits until the deployment serves new tabs, not only answers its health checks: a fresh tab on each front-end
    /// signs in, connects and joins a fresh room, <see cref="CanaryRounds"/> rounds in a row a second apart, each within
    /// 10 s. (Right after a whole deployment restarted, Orleans' grain directory can leave a new grain unanswered for
    /// a while after every process reports ready.) Returns the rounds that failed before that.
    /// </summary>
    public async Task<int> CanaryAsync(CancellationToken cancellation)
    {
        var failed = 0;
        for (var passed = 0; passed < CanaryRounds;)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            round.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await using var traffic = new Traffic(this, "canary-r", tabs: 2, roomSize: 2, sessionSize: 2, sendersPerRoom: 0);
                await traffic.ConnectAsync(round.Token, heartbeat: false);
                passed++;
            }
            catch (Exception ex) when (ex is InvalidOperationException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                failed++;
                passed = 0;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        }

        return failed;
    }

    /// <summary>
    /// The silo with the most room grain activations, from each silo's <c>/metrics</c> (Orleans' activation counts by
    /// grain type), and how many it has.
    /// </summary>
    public async Task<(string Silo, long Rooms)> BusiestRoomSiloAsync(CancellationToken cancellation)
    {
        var counts = new List<(string Silo, long Rooms)>();
        foreach (var spec in _topology.Silos)
        {
            var text = await Client.TabSession.GetStringAsync(new Uri(spec.Management!, "/metrics"), cancellation);
            counts.Add((spec.Role, RoomActivations(text)));
        }

        return counts.MaxBy(c => c.Rooms);
    }

    /// <summary>Live room activations in a Prometheus text: created minus destroyed.</summary>
    private static long RoomActivations(string metrics) => Sample(metrics, "orleans_catalog_activation_created_total") - Sample(metrics, "orleans_catalog_activation_destroyed_total");

    private static long Sample(string metrics, string name) => (long)metrics.Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains("grain_type=\"room\"", StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Where each silo's and front-end's log ends now (the lengths of the logs, by role).</summary>
    public Dictionary<string, long> LogMarks() => Silos.Concat(Webs).ToDictionary(role => role, role => new FileInfo(LogOf(role)) is { Exists: true } f ? f.Length : 0);

    /// <summary>
    /// The warnings and errors each silo and front-end logged since <paramref name="marks"/> (its first line and message
    /// line each, at most <paramref name="perProcess"/> of them per process), to print under a failed scenario.
    /// </summary>
    public IEnumerable<string> WarningsSince(IReadOnlyDictionary<string, long> marks, int perProcess)
    {
        foreach (var (role, mark) in marks)
        {
            string text;
            try
            {
                using var stream = new FileStream(LogOf(role), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Position = Math.Min(mark, stream.Length);
                using var reader = new StreamReader(stream);
                text = reader.ReadToEnd();
            }
            catch (IOException)
            {
                continue;
            }

            var lines = text.Split('\n');
            var found = lines.Select((line, i) => (line, i))
                .Where(l => l.line.Contains(" warn: ", StringComparison.Ordinal) || l.line.Contains(" fail: ", StringComparison.Ordinal) || l.line.Contains(" crit: ", StringComparison.Ordinal))
                .Select(l => $"{role}: {l.line.Trim()} {(l.i + 1 < lines.Length ? lines[l.i + 1].Trim() : "")}")
                .ToList();
            foreach (var line in found.Take(perProcess))
            {
                yield return line.Length > 300 ? line[..300] + "..." : line;
            }

            if (found.Count > perProcess)
            {
                yield return $"{role}: ... and {found.Count - perProcess} more (log: {LogOf(role)})";
            }
        }
    }

    private string LogOf(string role) => Path.Combine(_deployment.Directory, role + ".log");

    /// <summary>Stops every process by its PID (front-ends first), pass or fail.</summary>
    public ValueTask DisposeAsync() => _deployment.DisposeAsync();
}
