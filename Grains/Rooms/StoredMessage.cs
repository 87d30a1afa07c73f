using System.Text.Json.Serialization;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// A room log entry as stored in Redis (compact JSON): a chat message (<see cref="Chat"/>) or a push to the room
/// (<see cref="Pushed"/>). Its offset is 0 until the write that assigns it.
/// </summary>
public sealed record StoredMessage(
    [property: JsonPropertyName("o")] long Offset,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("k")] string? TabKey,
    [property: JsonPropertyName("c")] string? ClientId,
    [property: JsonPropertyName("u")] string? User,
    [property: JsonPropertyName("t")] string? Tab,
    [property: JsonPropertyName("x")] string? Text,
    [property: JsonPropertyName("p")] string? PayloadJson,
    [property: JsonPropertyName("ts")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("n")] string? Name = null)
{
    /// <summary>A chat message a tab sent, keyed by (tab key, client id) for idempotency.</summary>
    public static StoredMessage Chat(string tabKey, string clientId, string user, string tab, string text, DateTimeOffset timestamp, string? name = null) =>
        new(0, NewId(), tabKey, clientId, user, tab, text, PayloadJson: null, timestamp, name);

    /// <summary>A push to the room; with an idempotency key, keyed like a chat message under <paramref name="tabKey"/>.</summary>
    public static StoredMessage Pushed(string payloadJson, string? tabKey, string? idempotencyKey, DateTimeOffset timestamp) =>
        new(0, NewId(), tabKey, idempotencyKey, User: null, Tab: null, Text: null, payloadJson, timestamp);

    private static string NewId() => Guid.NewGuid().ToString("N");
}

/// <summary>Source-generated JSON for <see cref="StoredMessage"/>.</summary>
[JsonSerializable(typeof(StoredMessage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class StoredMessageJson : JsonSerializerContext
{
    /// <summary>The context the room log writes with: text is stored as UTF-8, escaped only where JSON requires it.</summary>
    public static StoredMessageJson Stored { get; } = new(new System.Text.Json.JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Encoder = Json.MinimalJsonEncoder.Instance });
}
