using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace OrleansTabs.Grains.Json;

/// <summary>
/// Text that no JSON writer can encode. A JSON reader takes a lone surrogate escape (<c>"\ud800"</c>) and raw bytes
/// that are not UTF-8 without complaint, but reading such a string (<see cref="JsonElement.GetString"/>) or writing it
/// again (a frame, the room log) throws. Input is checked here where it enters, so such text is refused as the
/// caller's fault instead of failing later as the server's.
/// </summary>
public static class JsonText
{
    /// <summary>Why such text is refused.</summary>
    public const string LoneSurrogate = "The text holds a lone surrogate: it is not valid Unicode and cannot be written as JSON.";

    /// <summary>Whether <paramref name="text"/> holds a surrogate that is not half of a pair.</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether any string value or property name of <paramref name="utf8Json"/> (a JSON text already parsed, so
    /// well-formed) is not valid Unicode: bytes that are not UTF-8, or an escaped surrogate that is not half of a pair.
    /// </summary>
    public static bool HasInvalidString(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                && (!Utf8.IsValid(reader.ValueSpan) || (reader.ValueIsEscaped && HasLoneSurrogateEscape(reader.ValueSpan))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any string of <paramref name="element"/> is not valid Unicode (see <see cref="HasInvalidString(ReadOnlySpan{byte})"/>).</summary>
    public static bool HasInvalidString(JsonElement element) =>
        element.ValueKind is not JsonValueKind.Undefined && HasInvalidString(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>Whether the still-escaped content of a JSON string has a <c>\uXXXX</c> surrogate that is not half of a pair.</summary>
    private static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> escaped)
    {
        var pendingHigh = false;
        for (var i = 0; i < escaped.Length; i++)
        {
            var unit = -1;
            if (escaped[i] == '\\')
            {
                i++;
                if (escaped[i] == 'u' && Utf8Parser.TryParse(escaped.Slice(i + 1, 4), out ushort value, out _, 'X'))
                {
                    unit = value;
                    i += 4;
                }
            }

            if (pendingHigh)
            {
                pendingHigh = false;
                if (unit is >= 0xDC00 and <= 0xDFFF)
                {
                    continue;
                }

                return true;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            pendingHigh = unit is >= 0xD800 and <= 0xDBFF;
        }

        return pendingHigh;
    }
}
