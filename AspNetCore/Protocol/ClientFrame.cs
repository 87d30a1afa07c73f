using System.Text.Json;

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
    /// Parses UTF-8 text as a client frame. On failure returns null and the error frame to send
    /// (<c>bad_json</c> for text that is not a JSON object, <c>missing_field</c>/<c>invalid_field</c> for the type).
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

        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
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

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
        {
            return value;
        }

        error = new ProtocolError(ErrorCodes.InvalidField, $"'{name}' must be an integer.", Id);
        return null;
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
