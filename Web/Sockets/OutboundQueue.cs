using System.Threading.Tasks.Sources;

namespace OrleansTabs.Web.Sockets;

/// <summary>
/// A socket's queue of outbound frames: many writers, one reader (the send loop), bounded, no cancellation. What a
/// bounded <c>Channel</c> does here, at a fraction of its size per socket (a channel keeps several reusable waiter
/// objects and locks for every socket, idle or not; this keeps a queue and itself as the one waiter), which counts at
/// tens of thousands of idle tabs. The send loop ends through <see cref="Complete"/>, never through a token.
/// </summary>
public sealed class OutboundQueue(int capacity) : IValueTaskSource<bool>
{
    private readonly Queue<ReadOnlyMemory<byte>> _frames = new();
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _completed;

    /// <summary>Queues a frame; false if the queue is full or completed.</summary>
    public bool TryWrite(ReadOnlyMemory<byte> frame)
    {
        lock (_frames)
        {
            if (_completed || _frames.Count >= capacity)
            {
                return false;
            }

            _frames.Enqueue(frame);
            if (!_waiting)
            {
                return true;
            }

            _waiting = false;
        }

        // Outside the lock: the reader's continuation is queued to the thread pool, never run inline here.
        _waiter.SetResult(true);
        return true;
    }

    /// <summary>Takes the oldest frame, if any; <paramref name="more"/> tells whether another one is queued behind it.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> frame, out bool more)
    {
        lock (_frames)
        {
            var read = _frames.TryDequeue(out frame);
            more = _frames.Count > 0;
            return read;
        }
    }

    /// <summary>
    /// Completes with true once a frame is queued, or with false once the queue is completed and empty. One caller
    /// at a time (the send loop).
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_frames)
        {
            if (_frames.Count > 0)
            {
                return ValueTask.FromResult(true);
            }

            if (_completed)
            {
                return ValueTask.FromResult(false);
            }

            _waiter.Reset();
            _waiting = true;
            return new ValueTask<bool>(this, _waiter.Version);
        }
    }

    /// <summary>No more frames are accepted; the reader drains what is queued and then sees the end.</summary>
    public void Complete()
    {
        lock (_frames)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
        }

        _waiter.SetResult(false);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);
}
