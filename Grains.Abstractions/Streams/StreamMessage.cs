namespace OrleansTabs.Streams;

/// <summary>
/// One resumable frame of a stream (<c>tab</c> or <c>room:&lt;name&gt;</c>): a chat message or a pushed payload, with
/// the stream's epoch and the frame's consecutive offset. Wire-independent: front-ends encode it once per message.
/// Built by kind with <see cref="Chat"/> or <see cref="Pushed"/>; the fields a kind does not have are null.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.StreamMessage")]
public sealed record StreamMessage(
    [property: Id(0)] string Stream,
    [property: Id(1)] string Epoch,
    [property: Id(2)] long Offset,
    [property: Id(3)] string Id,
    [property: Id(4)] string? ClientId,
    [property: Id(5)] string? FromUser,
    [property: Id(6)] string? FromTab,
    [property: Id(7)] string? Room,
    [property: Id(8)] string? Text,
    [property: Id(9)] string? PayloadJson,
    [property: Id(10)] DateTimeOffset Timestamp,
    [property: Id(11)] string? FromName = null)
{
    /// <summary>A chat message of <paramref name="room"/>'s stream (<paramref name="stream"/>), sent by a tab.</summary>
    public static StreamMessage Chat(
        string stream, string epoch, long offset, string id, string room, string? clientId, string? fromUser, string? fromTab, string? text, DateTimeOffset timestamp, string? fromName = null) =>
        new(stream, epoch, offset, id, clientId, fromUser, fromTab, room, text, PayloadJson: null, timestamp, fromName);

    /// <summary>
    /// A server push (<c>POST /api/push</c>) on <paramref name="stream"/>: a tab's own stream, or a room's, then with its
    /// <paramref name="room"/>.
    /// </summary>
    public static StreamMessage Pushed(string stream, string epoch, long offset, string id, string payloadJson, DateTimeOffset timestamp, string? room = null) =>
        new(stream, epoch, offset, id, ClientId: null, FromUser: null, FromTab: null, room, Text: null, payloadJson, timestamp);
}
