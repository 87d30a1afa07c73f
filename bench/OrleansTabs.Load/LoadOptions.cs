using System.Globalization;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load;

/// <summary>The command line: a workload and its settings (every figure has a default that suits a 2-core machine).</summary>
internal sealed class LoadOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public required string Workload { get; init; }

    public required string CommandLine { get; init; }

    public bool Smoke { get; init; }

    public string Topology => Get("--topology", "allinone");

    /// <summary>The front-ends of a split deployment (OrleansTabs' Web processes, signalr-redis's SignalR servers); 1 all-in-one.</summary>
    public int FrontEnds => Topology == "split" ? Int("--front-ends", 2) : 1;

    /// <summary>The silos of OrleansTabs' split deployment.</summary>
    public int Silos => Int("--silos", 2);

    /// <summary>The workloads the command runs, in order (<c>w1,w2,w3</c> runs three, each with its own report).</summary>
    public IReadOnlyList<string> Workloads { get; private init; } = [];

    /// <summary>The same command line for one of its workloads.</summary>
    public LoadOptions For(string workload)
    {
        var options = new LoadOptions { Workload = workload, Smoke = Smoke, CommandLine = CommandLine, Workloads = Workloads };
        foreach (var (name, value) in _values)
        {
            options._values[name] = value;
        }

        return options;
    }

    /// <summary>The servers to run, in order, with any settings given as <c>kind@NAME=value</c>; <paramref name="defaults"/> when <c>--servers</c> is not given.</summary>
    public IReadOnlyList<ServerChoice> Choices(params ServerKind[] defaults) =>
        _values.TryGetValue("--servers", out var list)
            ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ServerChoice.Parse)]
            : [.. defaults.Select(ServerChoice.Of)];

    /// <summary>Where reports go; null in smoke mode (it only prints).</summary>
    public string? ResultsDirectory => Smoke ? null : Get("--out", Path.Combine(Repo.Root, "bench", "results"));

    public bool Keep => _values.ContainsKey("--keep");

    /// <summary>How the servers of w0-w4 are built: <c>r2r</c> (a ReadyToRun publish, as deployed) or <c>jit</c> (the build output).</summary>
    public string Build => Get("--build", "r2r");

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> Ints(string name, params int[] fallback) =>
        _values.TryGetValue(name, out var v) ? [.. v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : fallback;

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;

    public static LoadOptions Parse(string[] args)
    {
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !TakesValue(args[i - 1]))).ToList();
        var smoke = args.Contains("--smoke") || positional.Contains("smoke");
        var workloads = (positional.FirstOrDefault() ?? (smoke ? "smoke" : throw new ArgumentException(Usage))).Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var w in workloads)
        {
            if (w is not ("w0" or "w1" or "w2" or "w3" or "w4" or "smoke" or "faults") || (workloads.Length > 1 && w is "smoke" or "faults"))
            {
                throw new ArgumentException($"Unknown workload '{w}' (several: w0-w4 joined by commas).\n{Usage}");
            }
        }

        var options = new LoadOptions
        {
            Workload = workloads[0], Smoke = smoke, Workloads = workloads,
            CommandLine = "dotnet run -c Release --project bench/OrleansTabs.Load -- " + string.Join(' ', args),
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options._values[args[i]] = TakesValue(args[i]) && i + 1 < args.Length ? args[++i] : "";
            }
        }

        if (options.Topology is not ("allinone" or "split"))
        {
            throw new ArgumentException("--topology is allinone or split.");
        }

        return options;
    }

    private static bool TakesValue(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg is not ("--smoke" or "--keep");

    public const string Usage = """
        usage: OrleansTabs.Load <w0|w1|w2|w3|w4|smoke|faults, or several as w1,w2,w3> [--servers orleanstabs,kestrel,signalr,signalr-redis] [--topology allinone|split] [--smoke]
          w0 cold start      --starts 3 --tabs 1000
          w1 idle capacity   --steps 2000,5000,10000,15000 --settle-seconds 5 --warmup-tabs 0
          w2 fan-out         --rooms 10 --room-size 100 --rates 10,50,100,200,400,800,1600 --step-seconds 5 --max-failures 2 --warmup-seconds 30 --warmup-max-seconds 180
          w3 reconnect storm --tabs 5000 --rooms 50 --rate 5 --chat-seconds 10 --servers orleanstabs (split: 2 front-ends behind a reverse proxy)
          w4 logout fan-out  --sessions 20 --tabs-per-session 50 --warmup-sessions 2 (split topology, 2 front-ends)
          faults             the fault rig (split topology, 2 silos, 2 front-ends): --scenarios 1,2,...,12 --deadline 600 --pid-file FILE --settings "--Key value ..." --move-silos true
          w0, w1, w2: --servers orleanstabs,orleanstabs@NAME=value runs that server a second time with an environment variable set, beside the others
          --topology split: orleanstabs is redis-server + --silos 2 + --front-ends 2, signalr-redis is redis-server + --front-ends 2 SignalR servers; tabs spread over the front-ends
          --out DIR (reports, default bench/results)  --keep (keep server logs and data)
          --build r2r|jit (w0-w4: the servers from a ReadyToRun publish, the default, or from their plain build output)
        """;
}
