using System.Buffers;
using System.Text.Json;

namespace OrleansTabs.Peers.KestrelBroadcast;

/// <summary>Server frames in the OrleansTabs shapes, encoded once as UTF-8 JSON.</summary>
public static class Frames
{
    /// <summary>The reply to <c>ping</c>.</summary>
    public static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    /// <summary>The first frame of a connection.</summary>
    public static byte[] Welcome(string tab, string instance, string user) => Write(w =>
    {
        w.WriteString("type", "welcome");
        w.WriteNumber("v", 1);
        w.WriteString("tab", tab);
        w.WriteString("instance", instance);
        w.WriteString("channel", "chat");
        w.WriteString("user", user);
        w.WriteNumber("heartbeatMs", 15000);
        w.WriteStartObject("streams");
        w.WriteEndObject();
    });

    /// <summary>The reply to <c>join</c>, with the room's head.</summary>
    public static byte[] Joined(Room room, long head) => Write(w =>
    {
        w.WriteString("type", "joined");
        w.WriteString("room", room.Name);
        w.WriteString("stream", room.Stream);
        w.WriteString("epoch", room.Epoch);
        w.WriteNumber("offset", head);
    });

    /// <summary>The reply to <c>send</c>.</summary>
    public static byte[] Ack(string id, string stream, long offset) => Write(w =>
    {
        w.WriteString("type", "ack");
        w.WriteString("id", id);
        w.WriteString("stream", stream);
        w.WriteNumber("offset", offset);
    });

    /// <summary>A refused frame.</summary>
    public static byte[] Error(string code, string? reference) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", code);
        if (reference is not null)
        {
            w.WriteString("ref", reference);
        }
    });

    /// <summary>A chat message, in the field order of OrleansTabs.</summary>
    public static byte[] Message(Room room, long offset, string clientId, string user, string tab, string text) => Write(w =>
    {
        w.WriteString("type", "message");
        w.WriteString("stream", room.Stream);
        w.WriteString("epoch", room.Epoch);
        w.WriteNumber("offset", offset);
        w.WriteString("id", room.Epoch + "-" + offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("clientId", clientId);
        w.WriteStartObject("from");
        w.WriteString("user", user);
        w.WriteString("tab", tab);
        w.WriteEndObject();
        w.WriteString("room", room.Name);
        w.WriteString("text", text);
        w.WriteString("ts", DateTimeOffset.UtcNow);
    });

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
