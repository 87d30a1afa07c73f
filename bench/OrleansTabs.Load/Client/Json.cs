using System.Buffers.Text;

namespace OrleansTabs.Load.Client;

/// <summary>
/// Byte-level reading of the few server fields the load generator needs, instead of full JSON parsing on the hot
/// path. It relies on what the servers write: no spaces, and plain (unescaped) values for the fields read here.
/// </summary>
internal static class Json
{
    /// <summary>Whether <paramref name="frame"/> contains <paramref name="marker"/> (e.g. <c>"type":"message"</c>).</summary>
    public static bool Has(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> marker) => frame.IndexOf(marker) >= 0;

    /// <summary>The integer right after <paramref name="key"/> (e.g. <c>"offset":</c>), or -1.</summary>
    public static long Number(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> key)
    {
        var at = frame.IndexOf(key);
        return at >= 0 && Utf8Parser.TryParse(frame[(at + key.Length)..], out long value, out _) ? value : -1;
    }

    /// <summary>The string value after <paramref name="key"/> (which ends with the opening quote), or empty.</summary>
    public static ReadOnlySpan<byte> String(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> key)
    {
        var at = frame.IndexOf(key);
        if (at < 0)
        {
            return default;
        }

        var rest = frame[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? default : rest[..end];
    }
}
