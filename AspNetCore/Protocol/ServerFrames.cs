using OrleansTabs.Grains.Json;
using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using OrleansTabs.FrontEnds;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// Encodes server frames as UTF-8 JSON. Each frame is encoded once; the resulting bytes are what every socket that
/// should see it is sent.
/// </summary>
internal static class ServerFrames
{
    /// <summary>The protocol version spoken here.</summary>
    public const int Version = 1;

    private static readonly byte[] PongBytes = """{"type":"pong"}"""u8.ToArray();

    /// <summary>The reply to <c>ping</c> (the same bytes every time).</summary>
    public static ReadOnlyMemory<byte> Pong => PongBytes;

    /// <summary>The first frame after an accepted connect.</summary>
    public static byte[] Welcome(TabAddress tab, string instance, string user, string name, TimeSpan heartbeat, ImmutableDictionary<string, StreamPosition> streams) =>
        Write(w =>
        {
            w.WriteString("type", "welcome");
            w.WriteNumber("v", Version);
            w.WriteString("tab", tab.Tab);
            w.WriteString("instance", instance);
            w.WriteString("channel", tab.Channel);
            w.WriteString("user", user);
            w.WriteString("name", name);
            w.WriteNumber("heartbeatMs", (long)heartbeat.TotalMilliseconds);
            w.WriteStartObject("streams");
            foreach (var (name, head) in streams.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(name);
                w.WriteString("epoch", head.Epoch);
                w.WriteNumber("offset", head.Offset);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });

    /// <summary>A refused client frame; <paramref name="reference"/> is the client frame's <c>id</c>, if it had one.</summary>
    public static byte[] Error(string code, string message, string? reference, int? retryAfterMs = null) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        if (reference is not null)
        {
            w.WriteString("ref", reference);
        }

        if (retryAfterMs is { } ms)
        {
            w.WriteNumber("retryAfterMs", ms);
        }
    });

    /// <summary>
    /// The answer to a <c>call</c>: <paramref name="data"/> serialized as its runtime type with System.Text.Json's web
    /// defaults (null as <c>null</c>). Throws what the serializer throws for a value it cannot write.
    /// </summary>
    public static byte[] Result(string reference, object? data) => Write(w =>
    {
        w.WriteString("type", "result");
        w.WriteString("ref", reference);
        w.WritePropertyName("data");
        if (data is null)
        {
            w.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(w, data, data.GetType(), JsonSerializerOptions.Web);
        }
    });

    /// <summary>A dashboard topic's latest value.</summary>
    public static byte[] Snapshot(TopicSnapshot snapshot) => Write(w =>
    {
        w.WriteString("type", "snapshot");
        w.WriteString("topic", snapshot.Topic);
        w.WritePropertyName("data");
        w.WriteRawValue(snapshot.DataJson, skipInputValidation: true);
        w.WriteString("ts", snapshot.Timestamp);
    });

    /// <summary>Writes one JSON object with the given members.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, MinimalJsonEncoder.WriterOptions))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
