using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Faults;

/// <summary>
/// An all-in-one server of its own (co-hosted silo, embedded Garnet with a data directory in the deployment's folder)
/// beside the split rig, for a scenario that crashes it: it is front-end A and B at once, and comes back on the same
/// ports and the same data directory.
/// </summary>
internal sealed class AllInOneRig : IFrontEnds, IAsyncDisposable
{
    private readonly Deployment _deployment;

    private AllInOneRig(Deployment deployment) => _deployment = deployment;

    public IReadOnlyList<Uri> FrontEnds => [_deployment.FrontEnds[0], _deployment.FrontEnds[0]];

    public IReadOnlyList<Uri> LiveFrontEnds => _deployment.FrontEndProcess.HasExited ? [] : [_deployment.FrontEnds[0]];

    /// <summary>The server's process now.</summary>
    public ChildProcess Process => _deployment.FrontEndProcess;

    /// <summary>Keep the folder (logs and the Garnet data) after the scenario.</summary>
    public bool Keep
    {
        get => _deployment.KeepDirectory;
        set => _deployment.KeepDirectory = value;
    }

    /// <summary>Starts the server and waits until it is ready.</summary>
    public static async Task<AllInOneRig> StartAsync(CancellationToken cancellation) =>
        new(await Launcher.StartAsync(ServerKind.OrleansTabs, "allinone", 1, cancellation));

    /// <summary>kill -9 of the server, then the same server started again on its data directory; returns when it is ready.</summary>
    public async Task CrashAndRestartAsync(CancellationToken cancellation)
    {
        var process = await _deployment.CrashAndRestartAsync(spec => spec);
        await Launcher.WaitReadyAsync(process, _deployment.FrontEnds[0], cancellation);
    }

    public ValueTask DisposeAsync() => _deployment.DisposeAsync();
}
