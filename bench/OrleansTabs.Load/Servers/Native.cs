using System.Runtime.InteropServices;

namespace OrleansTabs.Load.Servers;

/// <summary>POSIX signals, for a graceful stop (SIGTERM) of a process this tool started.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
