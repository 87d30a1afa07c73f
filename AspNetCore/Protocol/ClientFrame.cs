using System.Runtime.InteropServices;
using System.Text.Json;
using OrleansTabs.Grains.Json;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>A parsed client frame: its type, its optional <c>id</c>, and the whole JSON object for the handler.</summary>
internal sealed class ClientFrame : IDisposable
{
    private readonly JsonDocument _document;

    private ClientFrame(JsonDocument document, string type, string? id)
    {
        _document = document;
        Type = type;
        Id = id;
    }

    /// <summary>The frame's <c>type</c>.</summary>
    public string Type { get; }

    /// <summary>The frame's <c>id</c> when it is a string, used as <c>ref</c> in error replies.</summary>
    public string? Id { get; }

    /// <summary>The frame's JSON object.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>
    /// The largest integer a field takes (2^53 - 1): beyond it a JSON number no longer names one integer in every
    /// client (JavaScript reads it as a double).
    /// </summary>
    public const long MaxInteger = (1L << 53) - 1;

    /// <summary>
    /// Parses UTF-8 text as a client frame. On failure returns null and the error frame to send
    /// (<c>bad_json</c> for text that is not a JSON object, <c>invalid_field</c> for a string anywhere in it that is not
    /// valid Unicode, <c>missing_field</c>/<c>invalid_field</c> for the type).
    /// </summary>
    public static ClientFrame? TryParse(ReadOnlyMemory<byte> utf8, out ProtocolError? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            error = new ProtocolError(ErrorCodes.BadJson, "The frame is not valid JSON.", null);
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = new ProtocolError(ErrorCodes.BadJson, "A frame must be a JSON object.", null);
            return null;
        }

        // Checked before any string is read: such a string throws when read, and no error frame could carry it back.
        var invalidText = JsonText.HasInvalidString(utf8.Span);
        var id = ReadId(root);
        if (invalidText)
        {
            document.Dispose();
            error = new ProtocolError(ErrorCodes.InvalidField, "A string in the frame is not valid Unicode (a lone surrogate or bytes that are not UTF-8).", id);
            return null;
        }

        if (!root.TryGetProperty("type", out var typeElement))
        {
            document.Dispose();
            error = new ProtocolError(ErrorCodes.MissingField, "The frame has no 'type'.", id);
            return null;
        }

        if (typeElement.ValueKind != JsonValueKind.String || typeElement.GetString() is not { Length: > 0 } type)
        {
            document.Dispose();
            error = new ProtocolError(ErrorCodes.InvalidField, "'type' must be a non-empty string.", id);
            return null;
        }

        error = null;
        return new ClientFrame(document, type, id);
    }

    /// <summary>
    /// The <c>id</c> when it is a valid string. Names are compared as raw bytes: reading a name that is not valid Unicode
    /// throws, and the <c>id</c> of a frame refused for such a name is still its <c>ref</c>.
    /// </summary>
    private static string? ReadId(JsonElement root)
    {
        string? id = null;
        foreach (var property in root.EnumerateObject())
        {
            if (JsonMarshal.GetRawUtf8PropertyName(property).SequenceEqual("id"u8))
            {
                id = property.Value.ValueKind == JsonValueKind.String && !JsonText.HasInvalidString(property.Value) ? property.Value.GetString() : null;
            }
        }

        return id;
    }

    /// <summary>A required string field, or an error naming it.</summary>
    public string? RequiredString(string name, out ProtocolError? error)
    {
        if (!Root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            error = new ProtocolError(ErrorCodes.MissingField, $"'{name}' is required.", Id);
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, $"'{name}' must be a string.", Id);
            return null;
        }

        error = null;
        return element.GetString();
    }

    /// <summary>A required boolean field, or an error naming it.</summary>
    public bool? RequiredBoolean(string name, out ProtocolError? error)
    {
        if (!Root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            error = new ProtocolError(ErrorCodes.MissingField, $"'{name}' is required.", Id);
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, $"'{name}' must be true or false.", Id);
            return null;
        }

        error = null;
        return element.GetBoolean();
    }

    /// <summary>An optional integer field: null when absent, an error when present but not an integer.</summary>
    public long? OptionalInteger(string name, out ProtocolError? error)
    {
        error = null;
        if (!Root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (IsInteger(element, out var value))
        {
            return value;
        }

        error = new ProtocolError(ErrorCodes.InvalidField, $"'{name}' must be an integer of at most {MaxInteger}.", Id);
        return null;
    }

    /// <summary>Whether <paramref name="element"/> is a JSON integer within ±<see cref="MaxInteger"/> (not a string, a fraction or an exponent form).</summary>
    public static bool IsInteger(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value is >= -MaxInteger and <= MaxInteger;
    }

    /// <inheritdoc />
    public void Dispose() => _document.Dispose();
}

/// <summary>Why a client frame was refused: the <c>error</c> frame's fields.</summary>
internal sealed record ProtocolError(string Code, string Message, string? Reference)
{
    /// <summary>The encoded <c>error</c> frame.</summary>
    public byte[] ToFrame() => ServerFrames.Error(Code, Message, Reference);
}
