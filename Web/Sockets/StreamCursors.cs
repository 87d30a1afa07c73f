using System.Collections.Immutable;
using OrleansTabs.Streams;
using OrleansTabs.Web.Protocol;

namespace OrleansTabs.Web.Sockets;

/// <summary>
/// Per socket, the last offset sent on each stream. It makes delivery to the socket ordered, gap-free and
/// duplicate-free whatever order live fan-out, replay and repair arrive in: a frame at or below the cursor is dropped,
/// the next one is sent, a later one is held while the gap is fetched from the tab grain. While a stream is held
/// (during <c>resume</c>, or until its head is known) live frames wait, bounded by the send queue size.
/// </summary>
public sealed partial class StreamCursors(TabSocket socket, Func<string, long, Task<ImmutableArray<StreamMessage>>> fetch, int maxHeld, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private bool _holdAll = true;

    /// <summary>Delivers a live frame (already encoded) of a stream.</summary>
    public void Deliver(StreamMessage message, ReadOnlyMemory<byte> encoded)
    {
        lock (_gate)
        {
            var cursor = Get(message.Stream);
            if (_holdAll || cursor.Last is null || cursor.Holding)
            {
                Hold(cursor, message, encoded);
                return;
            }

            Advance(message.Stream, cursor, message, encoded);
        }
    }

    /// <summary>Sets where a stream's live delivery continues from, and sends what was held above it.</summary>
    public void SetPosition(string stream, long offset)
    {
        lock (_gate)
        {
            var cursor = Get(stream);
            cursor.Last = offset;
            cursor.Holding = false;
            if (!_holdAll)
            {
                Release(stream, cursor);
            }
        }
    }

    /// <summary>Sets the position of a stream that has none yet (a new join); a known stream keeps its cursor.</summary>
    public void SetPositionIfUnknown(string stream, long offset)
    {
        lock (_gate)
        {
            if (_cursors.TryGetValue(stream, out var known) && known.Last is not null)
            {
                return;
            }
        }

        SetPosition(stream, offset);
    }

    /// <summary>Holds live frames of these streams (a resume is about to replay them).</summary>
    public void Hold(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                Get(stream).Holding = true;
            }
        }
    }

    /// <summary>
    /// Ends the hold that starts with every connection (so frames published between <c>welcome</c> and <c>resume</c>
    /// are not sent ahead of the replay): on the first client frame, or after a short window.
    /// </summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            if (!_holdAll)
            {
                return;
            }

            _holdAll = false;
            foreach (var (stream, cursor) in _cursors)
            {
                if (cursor.Last is not null && !cursor.Holding)
                {
                    Release(stream, cursor);
                }
            }
        }
    }

    /// <summary>Stops tracking a stream (the tab left the room).</summary>
    public void Forget(string stream)
    {
        lock (_gate)
        {
            _cursors.Remove(stream);
        }
    }

    /// <summary>Sends a replayed frame in order (used by resume, before the stream's hold is lifted).</summary>
    public void Replay(StreamMessage message)
    {
        lock (_gate)
        {
            var cursor = Get(message.Stream);
            if (cursor.Last is { } last && message.Offset == last + 1)
            {
                socket.Send(StreamFrames.Message(message));
                cursor.Last = message.Offset;
            }
        }
    }

    private Cursor Get(string stream)
    {
        if (!_cursors.TryGetValue(stream, out var cursor))
        {
            cursor = new Cursor();
            _cursors[stream] = cursor;
        }

        return cursor;
    }

    private void Hold(Cursor cursor, StreamMessage message, ReadOnlyMemory<byte> encoded)
    {
        cursor.Held ??= [];
        cursor.Held[message.Offset] = (message, encoded);
        if (cursor.Held.Count > maxHeld)
        {
            socket.Close(CloseCodes.TooSlow, CloseCodes.Reason("too_slow"), dropPending: true);
        }
    }

    private void Advance(string stream, Cursor cursor, StreamMessage message, ReadOnlyMemory<byte> encoded)
    {
        var last = cursor.Last!.Value;
        if (message.Offset <= last)
        {
            return;
        }

        if (message.Offset == last + 1)
        {
            socket.Send(encoded);
            cursor.Last = message.Offset;
            return;
        }

        Hold(cursor, message, encoded);
        Repair(stream, cursor);
    }

    private void Release(string stream, Cursor cursor)
    {
        if (cursor.Held is not { Count: > 0 } held)
        {
            return;
        }

        while (held.Count > 0)
        {
            var (offset, (message, encoded)) = held.First();
            held.Remove(offset);
            if (offset <= cursor.Last)
            {
                continue;
            }

            if (offset == cursor.Last + 1)
            {
                socket.Send(encoded);
                cursor.Last = offset;
                continue;
            }

            held[offset] = (message, encoded);
            Repair(stream, cursor);
            return;
        }
    }

    /// <summary>Fetches the frames missing between the cursor and the held ones; fan-out is one-way and may lose frames.</summary>
    private void Repair(string stream, Cursor cursor)
    {
        if (cursor.Repairing)
        {
            return;
        }

        cursor.Repairing = true;
        var after = cursor.Last!.Value;
        RepairAsync(stream, cursor, after).Ignore();
    }

    private async Task RepairAsync(string stream, Cursor cursor, long after)
    {
        ImmutableArray<StreamMessage> missing = [];
        try
        {
            missing = await fetch(stream, after);
        }
        catch (Exception ex)
        {
            LogRepairFailed(logger, ex, stream);
        }

        lock (_gate)
        {
            cursor.Repairing = false;
            foreach (var message in missing)
            {
                if (message.Offset == cursor.Last + 1)
                {
                    socket.Send(StreamFrames.Message(message));
                    cursor.Last = message.Offset;
                }
            }

            if (cursor.Held is { Count: > 0 } held && held.Keys.First() > cursor.Last + 1 && missing.IsEmpty)
            {
                // The missing frames are no longer retained: say so rather than leave a silent gap.
                socket.Send(StreamFrames.Reset(stream, "gap"));
                cursor.Last = held.Keys.First() - 1;
            }

            if (!cursor.Holding && !_holdAll)
            {
                Release(stream, cursor);
            }
        }
    }

    private sealed class Cursor
    {
        public long? Last { get; set; }

        public bool Holding { get; set; }

        public bool Repairing { get; set; }

        public SortedDictionary<long, (StreamMessage Message, ReadOnlyMemory<byte> Encoded)>? Held { get; set; }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Could not fetch missing frames of {Stream}")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception, string stream);
}
