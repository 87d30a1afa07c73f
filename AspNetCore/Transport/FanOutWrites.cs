namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// The sockets of one fan-out, written by one thread-pool work item. Without it each frame queued to an idle socket
/// wakes that socket's send loop: a work item and a state-machine resumption per socket per fan-out, which at hundreds
/// of thousands of deliveries a second is a large share of the front-end's CPU, and a queue that every other work item
/// (reads, grain turns, storage replies) waits behind. Inside a scope a frame that finds its socket's send loop idle
/// claims the socket instead; when the scope ends, one work item writes every claimed socket, each with all the frames
/// queued to it in one flush. A write that cannot complete at once (the connection's buffer is full) is handed to the
/// socket's send loop, which goes on from there, so a slow peer never holds up the others.
/// <para>
/// The writing is not done on the fan-out's own thread: a front-end's observer runs its calls one at a time, and
/// writing there would make every room's fan-out wait for every other's writes.
/// </para>
/// <para>
/// A scope belongs to one thread and must not span an await: it is entered and ended by synchronous fan-out code
/// (<see cref="FrontEndObserver"/>).
/// </para>
/// </summary>
internal sealed class FanOutWrites : IDisposable, IThreadPoolWorkItem
{
    /// <summary>
    /// The most sockets one work item writes: a fan-out to more (a large room, every dashboard) is split, so that the
    /// cores share the writing and the last socket does not wait for thousands before it.
    /// </summary>
    public const int SocketsPerWorkItem = 256;

    [ThreadStatic]
    private static FanOutWrites? t_current;

    [ThreadStatic]
    private static FanOutWrites? t_spare;

    private readonly List<TabSocket> _claimed = [];
    private int _depth;

    private FanOutWrites()
    {
    }

    /// <summary>The scope open on this thread, if any.</summary>
    internal static FanOutWrites? Current => t_current;

    /// <summary>Opens a scope on this thread; inside an open one, joins it (the outermost scope writes).</summary>
    public static FanOutWrites Begin()
    {
        var scope = t_current;
        if (scope is null)
        {
            scope = t_spare ?? new FanOutWrites();
            t_spare = null;
            t_current = scope;
        }

        scope._depth++;
        return scope;
    }

    /// <summary>Records a socket whose queue this scope claimed; it is written when the scope ends.</summary>
    internal void Claimed(TabSocket socket) => _claimed.Add(socket);

    /// <summary>Ends the scope: one work item (one per <see cref="SocketsPerWorkItem"/>) writes the sockets it claimed.</summary>
    public void Dispose()
    {
        if (t_current != this || --_depth > 0)
        {
            return;
        }

        t_current = null;
        if (_claimed.Count == 0)
        {
            t_spare = this;
            return;
        }

        for (var start = SocketsPerWorkItem; start < _claimed.Count; start += SocketsPerWorkItem)
        {
            var count = Math.Min(SocketsPerWorkItem, _claimed.Count - start);
            ThreadPool.UnsafeQueueUserWorkItem(static sockets => Write(sockets), _claimed.GetRange(start, count), preferLocal: false);
        }

        if (_claimed.Count > SocketsPerWorkItem)
        {
            _claimed.RemoveRange(SocketsPerWorkItem, _claimed.Count - SocketsPerWorkItem);
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private static void Write(List<TabSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.WriteClaimed();
        }
    }

    /// <summary>Writes the claimed sockets (each socket's writing never throws), then waits on a thread as a spare.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        Write(_claimed);
        _claimed.Clear();
        if (t_current is null)
        {
            t_spare = this;
        }
    }
}
