using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;

namespace OrleansTabs.Load.Client;

/// <summary>
/// The text of a load message carries its step, a sequence number unique in the run and the send time (Stopwatch
/// ticks of this process), so latency is arrival time minus send time on one clock: <c>step-seq-ticks padding</c>.
/// </summary>
internal static class MessageText
{
    private static readonly string Padding = " " + new string('x', 64);

    /// <summary>Formats a message text.</summary>
    public static string Format(int step, long seq, long ticks) =>
        string.Create(CultureInfo.InvariantCulture, $"{step}-{seq}-{ticks}{Padding}");

    /// <summary>Reads a message text; false if it is not one of ours.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out int step, out long seq, out long ticks)
    {
        seq = ticks = 0;
        if (!Utf8Parser.TryParse(text, out step, out var used) || used >= text.Length || text[used] != '-')
        {
            return false;
        }

        text = text[(used + 1)..];
        if (!Utf8Parser.TryParse(text, out seq, out used) || used >= text.Length || text[used] != '-')
        {
            return false;
        }

        return Utf8Parser.TryParse(text[(used + 1)..], out ticks, out _);
    }

    /// <summary>Microseconds from <paramref name="ticks"/> to now.</summary>
    public static long MicrosecondsSince(long ticks, long now) => (now - ticks) * 1_000_000 / Stopwatch.Frequency;
}
