using System.Text.Json;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>An <see cref="IStreamSink"/> that records what a socket would have sent, for the cursor unit tests.</summary>
internal sealed class RecordingSink : IStreamSink
{
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _frames = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The close requested, if any.</summary>
    public CloseReason? Closed { get; private set; }

    /// <summary>The frames sent so far, oldest first.</summary>
    public IReadOnlyList<JsonElement> Frames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>Each frame as "type stream offset" (or "reset stream reason"), so a test compares sequences at a glance.</summary>
    public IReadOnlyList<string> Summary => [.. Frames.Select(Describe)];

    public bool SendReset(string stream, string reason) => Send(StreamFrames.Reset(stream, reason));

    public bool Send(ReadOnlyMemory<byte> frame)
    {
        using var document = JsonDocument.Parse(frame);
        lock (_gate)
        {
            _frames.Add(document.RootElement.Clone());
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return Closed is null;
    }

    public void Close(CloseReason close, bool dropPending = false) => Closed ??= close;

    public ValueTask<bool> WaitForReplayRoomAsync() => ValueTask.FromResult(Closed is null);

    /// <summary>Waits (with a deadline) until at least <paramref name="count"/> frames were sent.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(int count)
    {
        using var timeout = new CancellationTokenSource(Infrastructure.Deadline.Default);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_frames.Count >= count)
                {
                    return [.. _frames.Select(Describe)];
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private static string Describe(JsonElement frame)
    {
        var type = frame.GetProperty("type").GetString();
        var stream = frame.GetProperty("stream").GetString();
        return type == "reset"
            ? $"reset {stream} {frame.GetProperty("reason").GetString()}"
            : $"{type} {stream} {frame.GetProperty("epoch").GetString()}:{frame.GetProperty("offset").GetInt64()}";
    }
}
