using System.Runtime.InteropServices;

namespace OrleansTabs.Load.Servers;

/// <summary>POSIX signals (Linux numbers), for a graceful stop (SIGTERM), a freeze (SIGSTOP) and a thaw (SIGCONT) of a process this tool started.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    public const int SigCont = 18;

    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
