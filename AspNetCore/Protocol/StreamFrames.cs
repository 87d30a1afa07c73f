using System.Collections.Immutable;
using System.Text.Json;
using OrleansTabs.Streams;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>Encodes the stream-related server frames: <c>message</c>, <c>ack</c>, <c>joined</c>/<c>left</c>, <c>resumed</c>, <c>reset</c>, <c>history</c>.</summary>
internal static class StreamFrames
{
    /// <summary>A <c>message</c> frame: a chat message or a pushed payload.</summary>
    public static byte[] Message(StreamMessage m) => ServerFrames.Write(w => WriteMessage(w, m));

    /// <summary>The client's <c>send</c> with this id is durable at this offset.</summary>
    public static byte[] Ack(string id, string stream, long offset) => ServerFrames.Write(w =>
    {
        w.WriteString("type", "ack");
        w.WriteString("id", id);
        w.WriteString("stream", stream);
        w.WriteNumber("offset", offset);
    });

    /// <summary>
    /// The reply to <c>join</c> (<paramref name="type"/> <c>joined</c>) or <c>leave</c> (<c>left</c>), with the room stream's
    /// head; <paramref name="by"/> <c>server</c> for membership the server decided (docs/protocol.md section 7.3).
    /// </summary>
    public static byte[] Membership(string type, string room, StreamPosition head, string? by = null) => ServerFrames.Write(w =>
    {
        w.WriteString("type", type);
        w.WriteString("room", room);
        w.WriteString("stream", StreamNames.Room(room));
        w.WriteString("epoch", head.Epoch);
        w.WriteNumber("offset", head.Offset);
        if (by is not null)
        {
            w.WriteString("by", by);
        }
    });

    /// <summary>The asked position of a stream is no longer retained (<c>gap</c>) or the stream was rebuilt (<c>epoch</c>).</summary>
    public static byte[] Reset(string stream, string reason) => ServerFrames.Write(w =>
    {
        w.WriteString("type", "reset");
        w.WriteString("stream", stream);
        w.WriteString("reason", reason);
    });

    /// <summary>Sent after the replay a <c>resume</c> asked for.</summary>
    public static byte[] Resumed(ImmutableDictionary<string, StreamResume> streams) => ServerFrames.Write(w =>
    {
        w.WriteString("type", "resumed");
        w.WriteStartObject("streams");
        foreach (var (name, outcome) in streams.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteNumber("replayed", outcome.Replayed);
            w.WriteBoolean("recovered", outcome.ResetReason is null);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    /// <summary>The reply to <c>history</c>: messages oldest first; <c>truncated</c> when the reply's byte budget cut it short.</summary>
    public static byte[] History(string room, ImmutableArray<StreamMessage> messages, bool truncated = false) => ServerFrames.Write(w =>
    {
        w.WriteString("type", "history");
        w.WriteString("room", room);
        w.WriteStartArray("messages");
        foreach (var m in messages)
        {
            w.WriteStartObject();
            WriteMessage(w, m);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (truncated)
        {
            w.WriteBoolean("truncated", true);
        }
    });

    private static void WriteMessage(Utf8JsonWriter w, StreamMessage m)
    {
        w.WriteString("type", "message");
        w.WriteString("stream", m.Stream);
        w.WriteString("epoch", m.Epoch);
        w.WriteNumber("offset", m.Offset);
        w.WriteString("id", m.Id);
        if (m.ClientId is not null)
        {
            w.WriteString("clientId", m.ClientId);
        }

        if (m.FromUser is not null)
        {
            w.WriteStartObject("from");
            w.WriteString("user", m.FromUser);
            w.WriteString("name", m.FromName ?? m.FromUser);
            w.WriteString("tab", m.FromTab);
            w.WriteEndObject();
        }
        else if (m.Room is not null)
        {
            // What the server publishes into a room (docs/protocol.md section 7.3).
            w.WriteStartObject("from");
            w.WriteBoolean("server", true);
            w.WriteEndObject();
        }

        if (m.Room is not null)
        {
            w.WriteString("room", m.Room);
        }

        if (m.Text is not null)
        {
            w.WriteString("text", m.Text);
        }

        if (m.PayloadJson is not null)
        {
            w.WritePropertyName("payload");
            w.WriteRawValue(m.PayloadJson, skipInputValidation: true);
        }

        w.WriteString("ts", m.Timestamp);
    }
}
