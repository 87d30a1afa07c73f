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

        var utf8 = JsonSerializer.SerializeToUtf8Bytes(payload, Web);
        if (utf8.Length > MaxBytes)
        {
            throw new ArgumentException($"The payload is {utf8.Length} bytes of JSON; a frame carries at most {MaxBytes}.", name);
        }

        return System.Text.Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Checks an optional idempotency key: null, or 1-128 characters.</summary>
    public static string? Key(string? key, string name) =>
        key is null or { Length: >= 1 and <= MaxKeyLength }
            ? key
            : throw new ArgumentException($"An idempotency key is 1-{MaxKeyLength} characters.", name);
}
