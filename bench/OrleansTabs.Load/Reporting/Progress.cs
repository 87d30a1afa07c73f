namespace OrleansTabs.Load.Reporting;

/// <summary>One live progress line on stderr, rewritten with \r (every few seconds as plain lines when redirected).</summary>
internal static class Progress
{
    private static readonly Lock Gate = new();
    private static long _last;
    private static int _width;

    /// <summary>Whether a <see cref="Show"/> now would print (so that callers build the line only then).</summary>
    public static bool Due => Environment.TickCount64 - Volatile.Read(ref _last) >= (Console.IsErrorRedirected ? 5000 : 250);

    public static void Show(string line)
    {
        var now = Environment.TickCount64;
        var interval = Console.IsErrorRedirected ? 5000 : 250;
        lock (Gate)
        {
            if (now - _last < interval)
            {
                return;
            }

            _last = now;
            if (Console.IsErrorRedirected)
            {
                Console.Error.WriteLine(line);
                return;
            }

            Console.Error.Write("\r" + line.PadRight(_width));
            _width = line.Length;
        }
    }

    /// <summary>Ends the live line and prints a lasting one.</summary>
    public static void Line(string line)
    {
        lock (Gate)
        {
            if (!Console.IsErrorRedirected && _width > 0)
            {
                Console.Error.Write("\r" + new string(' ', _width) + "\r");
            }

            _width = 0;
            _last = 0;
            Console.Error.WriteLine(line);
        }
    }
}
