using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrleansTabs.Load.Servers;

/// <summary>
/// The servers run as a production deployment runs them: published for this machine's runtime identifier with
/// ReadyToRun code, so a fresh process starts on precompiled code instead of tier-0 JIT (the Dockerfiles publish the
/// same way). <c>--build jit</c> runs the plain build output instead. Each server is published once per run; a publish
/// with nothing changed is incremental.
/// </summary>
internal static class ServerBuilds
{
    private static readonly (string Project, string Name)[] Projects =
    [
        ("Web", "Web"), ("Silo", "Silo"), ("bench/Peers/KestrelBroadcast", "KestrelBroadcast"), ("bench/Peers/SignalRChat", "SignalRChat"),
    ];

    private static string? _root;

    /// <summary>What the servers of this run are, for the report header.</summary>
    public static string Describe() => _root is null
        ? "build output (JIT)"
        : $"ReadyToRun publish ({RuntimeInformation.RuntimeIdentifier}, framework-dependent)";

    /// <summary>Where a server's published files are, or null when the build output is used.</summary>
    public static string? Directory(string project) =>
        _root is null ? null : Path.Combine(_root, Projects.First(p => p.Project == project).Name);

    /// <summary>Publishes every server with ReadyToRun code unless <paramref name="build"/> is <c>jit</c>.</summary>
    public static async Task PrepareAsync(string build, CancellationToken cancellation)
    {
        if (build == "jit" || _root is not null)
        {
            return;
        }

        if (build != "r2r")
        {
            throw new ArgumentException("--build is r2r (the default) or jit.");
        }

        var root = Path.Combine(AppContext.BaseDirectory, "servers");
        foreach (var (project, name) in Projects)
        {
            Reporting.Progress.Line($"publishing {name} (ReadyToRun, {RuntimeInformation.RuntimeIdentifier})");
            await PublishAsync(Path.Combine(Repo.Root, project, name + ".csproj"), Path.Combine(root, name), cancellation);
        }

        _root = root;
    }

    private static async Task PublishAsync(string csproj, string output, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", csproj, "-c", Repo.Configuration, "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
                "-p:PublishReadyToRun=true", "-p:UseAppHost=false", "-o", output, "-nologo", "-v", "quiet",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish {Path.GetFileName(csproj)} failed ({process.ExitCode}):\n{await stdout}{await stderr}");
        }
    }
}
