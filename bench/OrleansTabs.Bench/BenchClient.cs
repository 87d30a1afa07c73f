using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OrleansTabs.Bench;

/// <summary>A minimal tab for load: connects, joins, sends, and counts the room messages it receives.</summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<string, TaskCompletionSource<long>> _acks = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource<bool>? _target;
    private long _targetCount;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;

    public long Received;

    public static async Task<CookieContainer> SignInAsync(Uri server, string user)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };
        (await http.PostAsJsonAsync("/auth/login", new { user })).EnsureSuccessStatusCode();
        return cookies;
    }

    public async Task ConnectAsync(Uri server, CookieContainer cookies, string room)
    {
        _socket.Options.Cookies = cookies;
        var id = Guid.NewGuid().ToString("N");
        await _socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws/chat?tab={id}&instance={id}&v=1"), CancellationToken.None);
        _reader = ReadAsync();
        await SendRawAsync(new { type = "join", room });

        // Only a member receives the room's messages: wait for the join before anyone sends.
        await _joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes when this tab has received <paramref name="count"/> room messages.</summary>
    public Task WaitForAsync(long count)
    {
        lock (_gate)
        {
            _targetCount = count;
            _target = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Received >= count)
            {
                _target.TrySetResult(true);
            }

            return _target.Task;
        }
    }

    public Task<long> SendAsync(string room, string id, string text)
    {
        var ack = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _acks[id] = ack;
        }

        return SendRawAsync(new { type = "send", id, room, text }).ContinueWith(_ => ack.Task).Unwrap();
    }

    public Task PingAsync() => SendRawAsync(new { type = "ping" });

    private async Task SendRawAsync(object frame) =>
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Handle(buffer.AsSpan(0, length));
            }
        }
        catch (WebSocketException)
        {
        }
    }

    private void Handle(ReadOnlySpan<byte> frame)
    {
        // Cheap type sniffing keeps the load generator from being the bottleneck.
        if (frame.IndexOf("\"type\":\"message\""u8) >= 0)
        {
            lock (_gate)
            {
                Received++;
                if (_target is not null && Received >= _targetCount)
                {
                    _target.TrySetResult(true);
                }
            }
        }
        else if (frame.IndexOf("\"type\":\"joined\""u8) >= 0)
        {
            _joined.TrySetResult();
        }
        else if (frame.IndexOf("\"type\":\"ack\""u8) >= 0)
        {
            using var doc = JsonDocument.Parse(frame.ToArray());
            var id = doc.RootElement.GetProperty("id").GetString()!;
            lock (_gate)
            {
                if (_acks.Remove(id, out var ack))
                {
                    ack.TrySetResult(doc.RootElement.GetProperty("offset").GetInt64());
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", new CancellationTokenSource(2000).Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        await _reader;
    }

    public static string Text(int i) => "message " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + new string('.', 80);

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
