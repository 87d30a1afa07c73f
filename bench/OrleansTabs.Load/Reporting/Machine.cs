using System.Runtime.InteropServices;

namespace OrleansTabs.Load.Reporting;

/// <summary>The machine a run was made on, for the report header.</summary>
internal static class Machine
{
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, {OsName()}, {RuntimeInformation.FrameworkDescription}, {Servers.Repo.Configuration} build, servers from their {Servers.ServerBuilds.Describe()}, load average {LoadAverage()}";

    /// <summary>The load average when the run started.</summary>
    public static readonly string StartLoad = LoadAverage();

    /// <summary>The 1-minute load average (other work on a shared machine shows here).</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string OsName()
    {
        try
        {
            var pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (pretty is not null)
            {
                return pretty[12..].Trim('"') + " (" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() + ")";
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.OSDescription;
    }
}
