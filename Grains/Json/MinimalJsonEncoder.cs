using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansTabs.Grains.Json;

/// <summary>
/// Escapes only what JSON itself requires: <c>"</c>, <c>\</c> and the control characters below U+0020. The frames and
/// the room log are JSON read by JSON parsers, never embedded in HTML, so <c>&lt;</c>, <c>&amp;</c> or a non-ASCII
/// character is written as its UTF-8 bytes rather than as a six-byte <c>\uXXXX</c> escape (twelve for a character
/// outside the BMP), as the default encoder does.
/// </summary>
public sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    private static readonly SearchValues<byte> Utf8ToEscape = SearchValues.Create(Escaped<byte>());
    private static readonly SearchValues<char> CharsToEscape = SearchValues.Create(Escaped<char>());

    private MinimalJsonEncoder()
    {
    }

    /// <summary>The one instance.</summary>
    public static MinimalJsonEncoder Instance { get; } = new();

    /// <summary>Writer options with this encoder (and no validation beyond the writer's own structure checks).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Instance };

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    /// <summary>
    /// The first character to escape. Throws <see cref="ArgumentException"/> for text with a lone surrogate: the writer
    /// would otherwise cut the string short at it without a word, and no escape of it is valid Unicode either.
    /// </summary>
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        if (span.ContainsAnyInRange('\uD800', '\uDFFF') && JsonText.HasLoneSurrogate(span))
        {
            throw new ArgumentException(JsonText.LoneSurrogate);
        }

        return span.IndexOfAny(CharsToEscape);
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text) => utf8Text.IndexOfAny(Utf8ToEscape);

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var output = new Span<char>(buffer, bufferLength);
        if (!WillEncode(unicodeScalar))
        {
            var rune = new Rune(unicodeScalar);
            return rune.TryEncodeToUtf16(output, out numberOfCharactersWritten);
        }

        string escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => $"\\u{unicodeScalar:X4}",
        };
        numberOfCharactersWritten = escape.Length;
        return escape.AsSpan().TryCopyTo(output) || Fail(out numberOfCharactersWritten);
    }

    private static bool Fail(out int written)
    {
        written = 0;
        return false;
    }

    private static T[] Escaped<T>()
        where T : struct, IBinaryInteger<T>
    {
        var values = new List<T>();
        for (var c = 0; c < 0x20; c++)
        {
            values.Add(T.CreateChecked(c));
        }

        values.Add(T.CreateChecked('"'));
        values.Add(T.CreateChecked('\\'));
        return [.. values];
    }
}
