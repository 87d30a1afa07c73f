namespace OrleansTabs.Load.Servers;

/// <summary>How to start one server process (kept, so that a process can be started again the same way).</summary>
internal sealed record ProcessSpec(string Role, string File, IReadOnlyList<string> Args, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The HTTP address of the process, if it serves one.</summary>
    public Uri? Http { get; init; }

    /// <summary>Where the process serves <c>/metrics</c> (its management port), if it serves them.</summary>
    public Uri? Management { get; init; }

    /// <summary>The same process listening at <paramref name="url"/> (its <c>--urls</c> argument replaced).</summary>
    public ProcessSpec WithUrl(string url)
    {
        var args = Args.ToArray();
        args[Array.IndexOf(args, "--urls") + 1] = url;
        return this with { Args = args, Http = new Uri(url) };
    }

    /// <summary>Starts it, with output appended to <c>&lt;role&gt;.log</c> in <paramref name="logDirectory"/>.</summary>
    public ChildProcess Start(string logDirectory) =>
        ChildProcess.Start(Role, File, Args, WorkingDirectory, Environment, Path.Combine(logDirectory, Role + ".log"));
}
