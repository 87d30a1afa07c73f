using System.Diagnostics;
using OrleansTabs.Load.Servers;

namespace OrleansTabs.Load.Workloads;

/// <summary>CPU of the server processes and of this process over a window, in % of one core.</summary>
internal sealed class ServerFigures(Deployment deployment)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly double _server = deployment.CpuSeconds();
    private readonly double _client = ClientCpuSeconds();
    private readonly Dictionary<string, double> _roles = deployment.ByRole().ToDictionary(r => r.Role, r => r.Cpu);

    public double ServerCpuPercent => (deployment.CpuSeconds() - _server) / Elapsed * 100;

    public double ClientCpuPercent => (ClientCpuSeconds() - _client) / Elapsed * 100;

    /// <summary>Per role (web, silo, redis), each role's CPU in % of one core, joined by <c> / </c>.</summary>
    public string RolesCpu() => string.Join(" / ", deployment.ByRole().Select(r => $"{r.Role} {(r.Cpu - _roles.GetValueOrDefault(r.Role)) / Elapsed * 100:F0} %"));

    private double Elapsed => Math.Max(0.001, Stopwatch.GetElapsedTime(_start).TotalSeconds);

    public static double ClientCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
