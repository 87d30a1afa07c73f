using System.Threading.Tasks.Sources;

namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// A socket's queue of outbound frames: many writers, one reader (the send loop), bounded, no cancellation. What a
/// bounded <c>Channel</c> does here, at a fraction of its size per socket (a channel keeps several reusable waiter
/// objects and locks for every socket, idle or not; this keeps a queue and itself as the one waiter), which counts at
/// tens of thousands of idle tabs. The send loop ends through <see cref="Complete"/>, never through a token. It is
/// bounded in frames and in bytes: a frame that would take the queued bytes past <c>byteCapacity</c> is refused
/// unless the queue is empty (so one large frame still goes, and a queue never holds more than that frame beyond the
/// bound). The frame bound is a backstop against floods of tiny frames: what it bounds is the queue's entries, the
/// memory this socket holds alone (a fan-out's frames are encoded once and shared by every socket they go to).
/// <para>
/// The queue keeps no time per frame. The front-end's sweep samples how long its oldest frame has waited at least
/// (<see cref="QueuedSince"/>) from a count of the frames ever queued, kept under the queue's lock.
/// </para>
/// <para>
/// A writer that finds the send loop idle may <em>claim</em> the queue instead of waking the loop (a thread-pool work
/// item per socket per fan-out): it then writes the queued frames itself (<see cref="TryRead"/>), and either gives the
/// claim back once the queue is empty (<see cref="TryReleaseClaim"/>: the loop stays parked, its wait still pending) or
/// hands a write that did not complete at once over to the loop (<see cref="HandOff"/>). While a claim is held every
/// other writer only queues; the loop and a claimant never read at the same time.
/// </para>
/// </summary>
internal sealed class OutboundQueue(int capacity, long byteCapacity) : IValueTaskSource<bool>
{
    /// <summary>
    /// Entries a drained queue keeps; one that grew past them during a burst gives its array back, so an idle socket
    /// never holds the backstop's worth of entries.
    /// </summary>
    internal const int RetainedEntries = 512;

    private readonly Queue<ReadOnlyMemory<byte>> _frames = new();
    private long _bytes;
    private long _queuedTotal;
    private long _mark;
    private long _markedAt;
    private long _mostBytes;
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _completed;
    private ValueTask? _handedOff;

    /// <summary>Queues a frame; false if the queue is full or completed.</summary>
    public bool TryWrite(ReadOnlyMemory<byte> frame) => TryWrite(frame, mayClaim: false) != QueueWrite.Refused;

    /// <summary>
    /// Queues a frame. With <paramref name="mayClaim"/>, a write that finds the send loop parked claims the queue
    /// (<see cref="QueueWrite.Claimed"/>): the caller must then write what is queued itself and give the claim back.
    /// </summary>
    public QueueWrite TryWrite(ReadOnlyMemory<byte> frame, bool mayClaim)
    {
        lock (_frames)
        {
            if (_completed || _frames.Count >= capacity || (_frames.Count > 0 && _bytes + frame.Length > byteCapacity))
            {
                return QueueWrite.Refused;
            }

            _frames.Enqueue(frame);
            _queuedTotal++;
            Volatile.Write(ref _bytes, _bytes + frame.Length);
            if (_bytes > _mostBytes)
            {
                _mostBytes = _bytes;
            }

            if (!_waiting)
            {
                return QueueWrite.Queued;
            }

            _waiting = false;
            if (mayClaim)
            {
                return QueueWrite.Claimed;
            }
        }

        // Outside the lock: the reader's continuation is queued to the thread pool, never run inline here.
        _waiter.SetResult(true);
        return QueueWrite.Queued;
    }

    /// <summary>
    /// Gives a claim back: true once the queue is empty (the send loop is parked again, or woken to end if the queue
    /// was completed meanwhile); false if frames arrived meanwhile and the claimant must write them too. With
    /// <paramref name="stop"/> the claim is given back whatever is queued, and the loop is woken to see why.
    /// </summary>
    public bool TryReleaseClaim(bool stop = false)
    {
        bool wake;
        lock (_frames)
        {
            if (_frames.Count > 0 && !stop)
            {
                return false;
            }

            wake = stop || _completed;
            _waiting = !wake;
        }

        if (wake)
        {
            // Completed and empty: the loop sees the end. Stopped: the loop sees why (the socket drops what is queued).
            _waiter.SetResult(stop);
        }

        return true;
    }

    /// <summary>
    /// Gives a claim back with a write that did not complete at once (pending or failed): the send loop is woken,
    /// awaits it (<see cref="TakeHandOff"/>) and goes on with what is queued behind it.
    /// </summary>
    public void HandOff(ValueTask write)
    {
        lock (_frames)
        {
            _handedOff = write;
        }

        _waiter.SetResult(true);
    }

    /// <summary>The bytes of the frames queued now (changed under the queue's lock, read without it).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>
    /// A timestamp by which the oldest frame queued now was already queued (<paramref name="now"/> when none is): the
    /// oldest frame has waited at least since then. Called by one sampler (the front-end's sweep) at intervals. A
    /// sample marks the newest frame queued with <paramref name="now"/>; while the reader has not passed that mark,
    /// every frame queued up to it has waited since the mark at least, and once it has, the next sample marks anew.
    /// So the wait it gives is never longer than the oldest frame's, and falls short of it by less than the time the
    /// reader took to pass the mark before, plus one interval: checked against a bound, no frame younger than the
    /// bound is taken for an older one, and a frame that waits longer than twice the bound and one interval is found.
    /// </summary>
    public long QueuedSince(long now)
    {
        lock (_frames)
        {
            if (_frames.Count == 0)
            {
                return now;
            }

            if (_queuedTotal - _frames.Count >= _mark)
            {
                _mark = _queuedTotal;
                _markedAt = now;
            }

            return _markedAt;
        }
    }

    /// <summary>The entries the queue's array has room for now.</summary>
    internal int Entries
    {
        get
        {
            lock (_frames)
            {
                return _frames.Capacity;
            }
        }
    }

    /// <summary>The frames ever queued.</summary>
    internal long QueuedTotal
    {
        get
        {
            lock (_frames)
            {
                return _queuedTotal;
            }
        }
    }

    /// <summary>The most bytes ever queued at once: what the byte bound held the queue to.</summary>
    internal long MostBytes
    {
        get
        {
            lock (_frames)
            {
                return _mostBytes;
            }
        }
    }

    /// <summary>Whether the reader is parked with nothing queued and nobody holds a claim.</summary>
    internal bool ReaderParked
    {
        get
        {
            lock (_frames)
            {
                return _waiting;
            }
        }
    }

    /// <summary>The write a claimant handed over, if any; the send loop awaits it before it reads on.</summary>
    public ValueTask? TakeHandOff()
    {
        lock (_frames)
        {
            var write = _handedOff;
            _handedOff = null;
            return write;
        }
    }

    /// <summary>Takes the oldest frame, if any; <paramref name="more"/> tells whether another one is queued behind it.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> frame, out bool more)
    {
        lock (_frames)
        {
            var read = _frames.TryDequeue(out frame);
            Volatile.Write(ref _bytes, _bytes - frame.Length);
            more = _frames.Count > 0;
            if (!more && _frames.Capacity > RetainedEntries)
            {
                _frames.TrimExcess();
            }

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

    /// <summary>
    /// No more frames are accepted; the reader drains what is queued and then sees the end (a claimant gives its claim
    /// back first, which wakes the loop).
    /// </summary>
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

/// <summary>What became of a frame offered to an <see cref="OutboundQueue"/>.</summary>
internal enum QueueWrite
{
    /// <summary>Full or completed: the frame was not queued.</summary>
    Refused,

    /// <summary>Queued; the send loop (or the writer holding a claim) writes it.</summary>
    Queued,

    /// <summary>Queued, and the caller now holds the claim: it writes the queue itself.</summary>
    Claimed,
}
