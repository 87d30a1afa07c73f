namespace OrleansTabs.Load.Servers;

/// <summary>
/// How to start the split topology: redis-server (AOF on and fsynced before each reply, as an acked send promises; its
/// own folder), silos and front-ends (Orleans clients) of one fresh cluster id. Every port is chosen once, here, so a process started again from its spec comes back at the
/// same endpoints (a restarted silo supersedes its old membership entry).
/// </summary>
internal sealed record SplitTopology(ProcessSpec Redis, IReadOnlyList<ProcessSpec> Silos, IReadOnlyList<ProcessSpec> FrontEnds)
{
    /// <summary>The specs of one deployment in <paramref name="directory"/>; <paramref name="settings"/> go to every silo and front-end.</summary>
    public static SplitTopology Create(string directory, int silos, int frontEnds, IReadOnlyList<string> settings)
    {
        // Distinct ports: the system may hand the same free port to two probes in a row.
        var taken = new HashSet<int>();
        int FreePort() => Launcher.FreePort(taken);

        var redisPort = FreePort();
        var redis = RedisServer(directory, redisPort, durable: true);

        var environment = new Dictionary<string, string> { ["ConnectionStrings__Redis"] = $"127.0.0.1:{Launcher.Port(redisPort)}" };
        var cluster = "load-" + Guid.NewGuid().ToString("N")[..8];
        var silo = Repo.Assembly("Silo", "OrleansTabs.Silo.dll");
        var siloSpecs = Enumerable.Range(1, silos).Select(i =>
        {
            var port = FreePort();
            var management = FreePort();
            string[] args =
            [
                silo, "--urls", Launcher.Url(port), "--Orleans:SiloPort", Launcher.Port(FreePort()),
                "--Orleans:GatewayPort", Launcher.Port(FreePort()), "--Orleans:ClusterId", cluster, .. Launcher.ManagementPort(management), .. settings,
            ];
            return new ProcessSpec($"silo-{i}", "dotnet", args, Path.GetDirectoryName(silo)!, environment) { Http = new Uri(Launcher.Url(port)), Management = new Uri(Launcher.Url(management)) };
        }).ToList();

        var web = Repo.Assembly("Web", "OrleansTabs.Web.dll");
        var webSpecs = Enumerable.Range(1, frontEnds).Select(i =>
        {
            var port = FreePort();
            var management = FreePort();
            string[] args = [web, "--urls", Launcher.Url(port), "--Orleans:ClusterId", cluster, .. Launcher.ManagementPort(management), .. settings];
            return new ProcessSpec($"web-{i}", "dotnet", args, Path.GetDirectoryName(web)!, environment) { Http = new Uri(Launcher.Url(port)), Management = new Uri(Launcher.Url(management)) };
        }).ToList();
        return new SplitTopology(redis, siloSpecs, webSpecs);
    }

    /// <summary>
    /// redis-server on a loopback port, its files in its own folder of <paramref name="directory"/>: durable, AOF on
    /// and fsynced before each reply; else no AOF and no snapshots, for a server that keeps nothing (a backplane).
    /// </summary>
    public static ProcessSpec RedisServer(string directory, int port, bool durable)
    {
        var redisDir = Path.Combine(directory, "redis");
        Directory.CreateDirectory(redisDir);
        string[] persistence = durable ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
        string[] args = ["--port", Launcher.Port(port), "--bind", "127.0.0.1", "--dir", redisDir, .. persistence, "--save", "", "--daemonize", "no"];
        return new ProcessSpec("redis", "redis-server", args, redisDir, new Dictionary<string, string>());
    }

    /// <summary>The port a redis-server spec listens on.</summary>
    public static int RedisPort(ProcessSpec redis) => int.Parse(redis.Args[1], System.Globalization.CultureInfo.InvariantCulture);
}
