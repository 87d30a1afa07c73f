using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansTabs.Load.Client;

/// <summary>
/// SignalR's JSON hub protocol over a raw WebSocket at <c>/hub</c> (no negotiate): a handshake, invocations (type 1),
/// completions (type 3, the ack of <c>Send</c>), pings (type 6), records separated by 0x1E, several per message.
/// </summary>
internal sealed class SignalRWire : IWire
{
    /// <summary>The one instance (the wire holds no state).</summary>
    public static readonly SignalRWire Instance = new();

    private const byte Separator = 0x1E;
    private const string JoinInvocation = "j";

    public byte[]? Handshake { get; } = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();

    public byte[] Ping { get; } = "{\"type\":6}\u001e"u8.ToArray();

    public bool Resumes => false;

    public Uri SocketUri(Uri server, string tab, string instance) => new($"ws://{server.Authority}/hub?tab={tab}");

    public byte[] Join(string room) => Invocation(JoinInvocation, "Join", [room]);

    public byte[] Send(string room, long seq, string text) =>
        Invocation(seq.ToString(CultureInfo.InvariantCulture), "Send", [room, "m" + seq.ToString(CultureInfo.InvariantCulture), text]);

    public byte[] Resume(string stream, string epoch, long offset) =>
        throw new NotSupportedException("SignalR has no resume.");

    public void Dispatch(Tab tab, ReadOnlySpan<byte> message)
    {
        while (!message.IsEmpty)
        {
            var end = message.IndexOf(Separator);
            var record = end < 0 ? message : message[..end];
            message = end < 0 ? default : message[(end + 1)..];
            DispatchRecord(tab, record);
        }
    }

    private static void DispatchRecord(Tab tab, ReadOnlySpan<byte> r)
    {
        if (Json.Has(r, "\"target\":\"message\""u8))
        {
            tab.OnMessage(Json.Number(r, "\"offset\":"u8), Json.String(r, "\"text\":\""u8));
        }
        else if (Json.Has(r, "\"type\":3"u8))
        {
            var id = Json.String(r, "\"invocationId\":\""u8);
            if (Json.Has(r, "\"error\":"u8))
            {
                tab.OnError(r);
            }
            else if (id.SequenceEqual("j"u8))
            {
                tab.OnJoined(Encoding.UTF8.GetString(Json.String(r, "\"epoch\":\""u8)), Json.Number(r, "\"offset\":"u8));
            }
            else
            {
                tab.OnAck(long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : -1, Json.Number(r, "\"offset\":"u8));
            }
        }
        else if (Json.Has(r, "\"type\":6"u8))
        {
            return;
        }
        else if (!tab.Welcomed)
        {
            // The handshake response: {} or {"error":"..."}.
            if (Json.Has(r, "\"error\""u8))
            {
                tab.OnError(r);
            }
            else
            {
                tab.OnWelcome();
            }
        }
        else if (Json.Has(r, "\"type\":7"u8))
        {
            tab.OnError(r);
        }
    }

    private static byte[] Invocation(string id, string target, string[] arguments)
    {
        var json = JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments });
        return Encoding.UTF8.GetBytes(json + "\u001e");
    }
}
