using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansTabs.Load.Client;

/// <summary>docs/protocol.md v1 (OrleansTabs and the bare-Kestrel peer): <c>/ws/chat</c>, one JSON frame per message.</summary>
internal sealed class OrleansTabsWire : IWire
{
    /// <summary>The one instance (the wire holds no state).</summary>
    public static readonly OrleansTabsWire Instance = new();

    public byte[]? Handshake => null;

    public bool Resumes => true;

    public byte[] Ping { get; } = """{"type":"ping"}"""u8.ToArray();

    public Uri SocketUri(Uri server, string tab, string instance) =>
        new($"ws://{server.Authority}/ws/chat?tab={tab}&instance={instance}&v=1");

    public byte[] Join(string room) => JsonSerializer.SerializeToUtf8Bytes(new { type = "join", room });

    public byte[] Send(string room, long seq, string text) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type = "send", id = "m" + seq.ToString(CultureInfo.InvariantCulture), room, text });

    public byte[] Resume(string stream, string epoch, long offset) => Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new { type = "resume", streams = new Dictionary<string, object> { [stream] = new { epoch, offset } } }));

    /// <summary>Asks for a room's history: up to <paramref name="limit"/> messages ending before <paramref name="before"/> (0: at the head).</summary>
    public static byte[] History(string room, long before, int limit) => before > 0
        ? JsonSerializer.SerializeToUtf8Bytes(new { type = "history", room, before, limit })
        : JsonSerializer.SerializeToUtf8Bytes(new { type = "history", room, limit });

    public void Dispatch(Tab tab, ReadOnlySpan<byte> m)
    {
        if (m.StartsWith("{\"type\":\"history\""u8))
        {
            // Before "message": a history frame holds message frames.
            tab.OnHistory(m);
        }
        else if (Json.Has(m, "\"type\":\"message\""u8))
        {
            tab.OnMessage(Json.Number(m, "\"offset\":"u8), Json.String(m, "\"text\":\""u8));
        }
        else if (Json.Has(m, "\"type\":\"ack\""u8))
        {
            tab.OnAck(Json.Number(m, "\"id\":\"m"u8), Json.Number(m, "\"offset\":"u8));
        }
        else if (Json.Has(m, "\"type\":\"pong\""u8))
        {
            return;
        }
        else if (Json.Has(m, "\"type\":\"welcome\""u8))
        {
            tab.OnWelcome();
        }
        else if (Json.Has(m, "\"type\":\"joined\""u8))
        {
            tab.OnJoined(Encoding.UTF8.GetString(Json.String(m, "\"epoch\":\""u8)), Json.Number(m, "\"offset\":"u8));
        }
        else if (Json.Has(m, "\"type\":\"resumed\""u8))
        {
            tab.OnResumed();
        }
        else if (Json.Has(m, "\"type\":\"reset\""u8))
        {
            tab.OnReset();
        }
        else if (Json.Has(m, "\"type\":\"error\""u8))
        {
            tab.OnError(m);
        }
    }
}
