namespace OrleansTabs.Load.Servers;

/// <summary>
/// The server processes of one workload run (one process for a peer or an all-in-one OrleansTabs; redis, silos and
/// front-ends for split), their figures, summed and per role, and their stop, pass or fail.
/// </summary>
internal sealed class Deployment(ServerKind kind, string topology, string directory) : IAsyncDisposable
{
    private readonly List<(ProcessSpec Spec, ChildProcess Process)> _processes = [];

    // Processes that were started again: their CPU until they ended still counts for the deployment.
    private readonly List<(ProcessSpec Spec, ChildProcess Process)> _ended = [];

    public ServerKind Kind { get; } = kind;

    public string Topology { get; } = topology;

    /// <summary>The run's temporary folder: data directories and logs.</summary>
    public string Directory { get; } = directory;

    /// <summary>Where tabs connect.</summary>
    public List<Uri> FrontEnds { get; } = [];

    public IEnumerable<ChildProcess> Processes => _processes.Select(p => p.Process);

    /// <summary>Environment variables every process started in it gets on top of its own (a server variant's settings).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether every process is still running.</summary>
    public bool Healthy => _processes.All(p => !p.Process.HasExited);

    /// <summary>Starts a process and keeps it in the deployment.</summary>
    public ChildProcess Add(ProcessSpec spec)
    {
        spec = WithEnvironment(spec);
        var process = spec.Start(Directory);
        _processes.Add((spec, process));
        return process;
    }

    private ProcessSpec WithEnvironment(ProcessSpec spec) =>
        Environment.Count == 0 ? spec : spec with { Environment = new Dictionary<string, string>(spec.Environment.Concat(Environment.Where(e => !spec.Environment.ContainsKey(e.Key)))) };

    /// <summary>The .NET processes (every one but redis-server): those whose runtime counters can be read.</summary>
    public IEnumerable<ChildProcess> DotNetProcesses => _processes.Where(p => p.Spec.File == "dotnet").Select(p => p.Process);

    /// <summary>CPU seconds of every process, redis-server included, and of those it replaced when started again.</summary>
    public double CpuSeconds() => _processes.Concat(_ended).Sum(p => p.Process.CpuSeconds());

    /// <summary>Resident memory of every process, redis-server included.</summary>
    public long RssBytes() => _processes.Sum(p => p.Process.RssBytes());

    /// <summary>CPU seconds and RSS per role kind (web, silo, redis, server), in the order the roles were started.</summary>
    public IEnumerable<(string Role, double Cpu, long Rss)> ByRole() =>
        _processes.Concat(_ended).GroupBy(p => p.Spec.Role.Split('-')[0]).Select(g => (g.Key, g.Sum(p => p.Process.CpuSeconds()), g.Sum(p => p.Process.RssBytes())));

    /// <summary>The role of the process serving <paramref name="frontEnd"/> (server, server-1, web-2).</summary>
    public string RoleOf(Uri frontEnd) => _processes.First(p => p.Spec.Http == frontEnd).Spec.Role;

    /// <summary>The first front-end's process (the one process of a peer or an all-in-one server).</summary>
    public ChildProcess FrontEndProcess => _processes.First(p => p.Spec.Http is not null && p.Spec.Role != "redis" && !p.Spec.Role.StartsWith("silo", StringComparison.Ordinal)).Process;

    /// <summary>Kills the all-in-one server (SIGKILL, a crash) and starts it again the same way; returns the new process.</summary>
    public async Task<ChildProcess> CrashAndRestartAsync(Func<ProcessSpec, ProcessSpec> change)
    {
        var role = _processes.First(p => p.Process == FrontEndProcess).Spec.Role;
        await Process(role).KillAsync();
        var started = StartAgain(role, change);
        FrontEnds[0] = _processes.First(p => p.Process == started).Spec.Http!;
        return started;
    }

    /// <summary>The current process of a role (web-1, silo-2, redis).</summary>
    public ChildProcess Process(string role) => _processes.First(p => p.Spec.Role == role).Process;

    /// <summary>The spec a role was started from.</summary>
    public ProcessSpec Spec(string role) => _processes.First(p => p.Spec.Role == role).Spec;

    /// <summary>Changes the spec a role starts from next time.</summary>
    public void Respec(string role, Func<ProcessSpec, ProcessSpec> change)
    {
        var index = _processes.FindIndex(p => p.Spec.Role == role);
        _processes[index] = (change(_processes[index].Spec), _processes[index].Process);
    }

    /// <summary>Starts a role again from its spec (changed by <paramref name="change"/>, if given), after its process ended.</summary>
    public ChildProcess StartAgain(string role, Func<ProcessSpec, ProcessSpec>? change = null)
    {
        var index = _processes.FindIndex(p => p.Spec.Role == role);
        var spec = WithEnvironment(change is null ? _processes[index].Spec : change(_processes[index].Spec));
        var started = spec.Start(Directory);
        _ended.Add(_processes[index]);
        _processes[index] = (spec, started);
        return started;
    }

    /// <summary>Stops every process (front-ends first), then removes the folder unless asked to keep it.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].Process.StopAsync();
        }

        if (!KeepDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Keep the logs and data (a failed run, or <c>--keep</c>).</summary>
    public bool KeepDirectory { get; set; }
}
