using System.Diagnostics;

namespace OrleansTabs.Load.Servers;

/// <summary>A server process started by this tool: its output goes to a log file; it is stopped by its PID.</summary>
internal sealed class ChildProcess
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private bool _closed;
    private bool _frozen;

    private ChildProcess(string role, Process process, StreamWriter log, string logPath)
    {
        Role = role;
        _process = process;
        _log = log;
        LogPath = logPath;
        Pid = process.Id;
    }

    /// <summary>What the process is in the deployment (server, web-1, silo-2, redis).</summary>
    public string Role { get; }

    public int Pid { get; }

    public string LogPath { get; }

    public bool HasExited => _closed || _process.HasExited;

    /// <summary>
    /// A file that gets the PID of every process started (one a line), so that a supervising script can stop them even
    /// if this tool itself is killed; null for none.
    /// </summary>
    public static string? PidFile { get; set; }

    /// <summary>Starts <paramref name="file"/> with arguments and environment, output to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string role, string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + file);
        var child = new ChildProcess(role, process, log, logPath);
        if (PidFile is { } pidFile)
        {
            File.AppendAllText(pidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        }

        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>CPU seconds so far; once the process has ended, the last reading (taken right before a kill or a stop).</summary>
    public double CpuSeconds()
    {
        if (!HasExited)
        {
            _cpuSeconds = Math.Max(_cpuSeconds, ProcStats.CpuSeconds(Pid));
        }

        return _cpuSeconds;
    }

    private double _cpuSeconds;

    /// <summary>Resident memory now (0 once it has ended).</summary>
    public long RssBytes() => HasExited ? 0 : ProcStats.RssBytes(Pid);

    /// <summary>SIGSTOP: the process stops running (a long GC pause, a frozen VM) with every socket left open.</summary>
    public void Freeze()
    {
        if (!HasExited && Native.Kill(Pid, Native.SigStop) == 0)
        {
            _frozen = true;
        }
    }

    /// <summary>SIGCONT: a frozen process runs on.</summary>
    public void Thaw()
    {
        if (_frozen && !HasExited)
        {
            _ = Native.Kill(Pid, Native.SigCont);
        }

        _frozen = false;
    }

    /// <summary>The exit code once the process has exited and was waited for, else null.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>SIGTERM (after a thaw, if frozen), then SIGKILL if it has not stopped within <paramref name="timeout"/> (10 s).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_closed)
        {
            return;
        }

        Thaw();

        if (!_process.HasExited)
        {
            CpuSeconds();
            _ = Native.Kill(Pid, Native.SigTerm);
            using var limit = new CancellationTokenSource(timeout ?? StopTimeout);
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        Close();
    }

    /// <summary>SIGKILL at once (a crash), and wait until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_closed)
        {
            return;
        }

        CpuSeconds();
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        Close();
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public string Tail(int lines) => string.Join('\n', ReadLog().Split('\n').TakeLast(lines));

    /// <summary>Whether the log holds <paramref name="text"/> (ignoring case).</summary>
    public bool LogContains(string text) => ReadLog().Contains(text, StringComparison.OrdinalIgnoreCase);

    private string ReadLog()
    {
        lock (_logGate)
        {
            _log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void Close()
    {
        if (!_closed && _process.HasExited)
        {
            ExitCode = _process.ExitCode;
        }

        _closed = true;
        lock (_logGate)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }
}
