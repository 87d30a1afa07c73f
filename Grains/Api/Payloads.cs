using System.Text.Json;

namespace OrleansTabs.Grains.Api;

/// <summary>How the server API turns an application's payload into the JSON a frame carries.</summary>
internal static class Payloads
{
    /// <summary>The largest payload: a frame's limit (docs/protocol.md section 3, <c>MaxFrameBytes</c>).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The longest idempotency key, as <c>POST /api/push</c> takes it.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>Web defaults, with text kept as UTF-8 (<see cref="Json.MinimalJsonEncoder"/>).</summary>
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { Encoder = Json.MinimalJsonEncoder.Instance };

    /// <summary>The payload as JSON text (System.Text.Json, web defaults); throws <see cref="ArgumentException"/> naming <paramref name="name"/> if it is null or over <see cref="MaxBytes"/>.</summary>
    public static string Serialize<T>(T payload, string name)
    {
        if (payload is null)
        {
            throw new ArgumentNullException(name);
        }

        byte[] utf8;
        try
        {
            utf8 = JsonSerializer.SerializeToUtf8Bytes(payload, Web);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            // The writer refuses text that is not valid Unicode (a lone surrogate), in a string or in a JsonElement.
            throw new ArgumentException("The payload cannot be written as JSON: " + ex.Message, name, ex);
        }

        if (Json.JsonText.HasInvalidString(utf8))
        {
            throw new ArgumentException(Json.JsonText.LoneSurrogate, name);
        }

        if (utf8.Length > MaxBytes)
        {
            throw new ArgumentException($"The payload is {utf8.Length} bytes of JSON; a frame carries at most {MaxBytes}.", name);
        }

        return System.Text.Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Checks an optional idempotency key: null, or 1-128 characters of valid Unicode.</summary>
    public static string? Key(string? key, string name) =>
        key is null || (key is { Length: >= 1 and <= MaxKeyLength } && !Json.JsonText.HasLoneSurrogate(key))
            ? key
            : throw new ArgumentException($"An idempotency key is 1-{MaxKeyLength} characters of valid Unicode.", name);

    /// <summary>Refuses a target whose names are not valid Unicode: they become grain keys and appear in frames.</summary>
    public static TabsTarget Target(TabsTarget target, string name)
    {
        ArgumentNullException.ThrowIfNull(target, name);
        return Json.JsonText.HasLoneSurrogate(target.Id) || (target.TabId is { } tab && Json.JsonText.HasLoneSurrogate(tab))
            ? throw new ArgumentException(Json.JsonText.LoneSurrogate, name)
            : target;
    }
}
