using System.Text.Json.Serialization;

namespace OrleansTabs.Grains.Rooms;

/// <summary>A room log entry as stored in Redis (compact JSON).</summary>
public sealed record StoredMessage(
    [property: JsonPropertyName("o")] long Offset,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("k")] string? TabKey,
    [property: JsonPropertyName("c")] string? ClientId,
    [property: JsonPropertyName("u")] string? User,
    [property: JsonPropertyName("t")] string? Tab,
    [property: JsonPropertyName("x")] string? Text,
    [property: JsonPropertyName("p")] string? PayloadJson,
    [property: JsonPropertyName("ts")] DateTimeOffset Timestamp);

/// <summary>Source-generated JSON for <see cref="StoredMessage"/>.</summary>
[JsonSerializable(typeof(StoredMessage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class StoredMessageJson : JsonSerializerContext;
