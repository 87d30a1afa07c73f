using System.Text.Json;

namespace OrleansTabs;

/// <summary>
/// A retained message of a room's stream: a chat message a tab sent (<see cref="FromUser"/>, <see cref="FromName"/>,
/// <see cref="FromTab"/>, <see cref="Text"/>, <see cref="ClientId"/>) or one the server published
/// (<see cref="FromServer"/>, <see cref="PayloadJson"/>).
/// </summary>
/// <param name="Offset">Its offset in the room's stream (consecutive, from 1).</param>
/// <param name="Id">The server's message id.</param>
/// <param name="FromUser">The sender's user (subject); null for a message of the server.</param>
/// <param name="FromName">The sender's display name; null for a message of the server.</param>
/// <param name="FromTab">The sender's tab id; null for a message of the server.</param>
/// <param name="Text">The chat text; null for a message of the server.</param>
/// <param name="PayloadJson">The published payload as JSON text; null for a chat message.</param>
/// <param name="Timestamp">When the room took it.</param>
/// <param name="ClientId">The sender's client message id; null for a message of the server.</param>
[GenerateSerializer, Immutable]
[Alias("ot.RoomMessage")]
public sealed record RoomMessage(
    [property: Id(0)] long Offset,
    [property: Id(1)] string Id,
    [property: Id(2)] string? FromUser,
    [property: Id(3)] string? FromName,
    [property: Id(4)] string? FromTab,
    [property: Id(5)] string? Text,
    [property: Id(6)] string? PayloadJson,
    [property: Id(7)] DateTimeOffset Timestamp,
    [property: Id(8)] string? ClientId)
{
    /// <summary>Whether the server published it (<c>from</c> <c>{"server":true}</c> on the wire).</summary>
    public bool FromServer => FromUser is null;

    /// <summary>The published payload, parsed; null for a chat message.</summary>
    public JsonElement? Payload => PayloadJson is null ? null : JsonElement.Parse(PayloadJson);
}
