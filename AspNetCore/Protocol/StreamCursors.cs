using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// Per socket, the epoch and last offset sent on each stream. It makes delivery to the socket ordered, gap-free and
/// duplicate-free whatever order live fan-out, replay and repair arrive in: a frame at or below the cursor is dropped,
/// the next one is sent, a later one is held while the gap is fetched from the tab grain; a frame of another epoch
/// (the stream was rebuilt) gets a <c>reset</c> first. While a stream is held (during <c>resume</c>, or until its head
/// is known) live frames wait, bounded by the send queue size. A fetch is made again as <see cref="GrainRetry"/> rules,
/// within <paramref name="attemptTimeout"/> per attempt and <paramref name="budget"/> in all.
/// </summary>
internal sealed partial class StreamCursors(
    IStreamSink socket,
    Func<string, long, Task<ImmutableArray<StreamMessage>>> fetch,
    int maxHeld,
    TimeSpan attemptTimeout,
    TimeSpan budget,
    TimeProvider clock,
    ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private bool _holdAll = true;

    // The stream looked up last: a tab in one room is sent that room's frames again and again, and a string comparison
    // (often of the same instance) is cheaper than hashing the name for every socket of every fan-out.
    private string? _lastStream;
    private Cursor? _lastCursor;

    /// <summary>Delivers live frames (already encoded, <paramref name="encoded"/>[i] is <paramref name="messages"/>[i]) of one stream, oldest first.</summary>
    public void Deliver(ImmutableArray<StreamMessage> messages, ReadOnlyMemory<byte>[] encoded)
    {
        if (messages.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            var cursor = Get(messages[0].Stream);
            for (var i = 0; i < messages.Length; i++)
            {
                if (_holdAll || cursor.Last is null || cursor.Holding)
                {
                    Hold(cursor, messages[i], encoded[i]);
                    continue;
                }

                Advance(messages[i].Stream, cursor, messages[i], encoded[i]);
            }
        }
    }

    /// <summary>Sets where a stream's live delivery continues from, and sends what was held above it.</summary>
    public void SetPosition(string stream, StreamPosition position)
    {
        lock (_gate)
        {
            var cursor = Get(stream);
            cursor.Epoch = position.Epoch.Length > 0 ? position.Epoch : cursor.Epoch;
            cursor.Last = position.Offset;
            cursor.Holding = false;
            if (!_holdAll)
            {
                Release(stream, cursor);
            }
        }
    }

    /// <summary>The position at which the connection started for a stream (from <c>welcome</c>): live frames after it are sent.</summary>
    public void SetInitial(string stream, StreamPosition head)
    {
        lock (_gate)
        {
            var cursor = Get(stream);
            cursor.Epoch = head.Epoch;
            cursor.Last = head.Offset;
            cursor.Initial = head.Offset;
        }
    }

    /// <summary>Sets the position of a stream that has none yet (a new join); a known stream keeps its cursor.</summary>
    public void SetPositionIfUnknown(string stream, StreamPosition head)
    {
        lock (_gate)
        {
            if (_cursors.TryGetValue(stream, out var known) && known.Last is not null)
            {
                return;
            }
        }

        SetPosition(stream, head);
    }

    /// <summary>Whether the socket follows the stream: its position is known (from <c>welcome</c>, a <c>joined</c> or a resume).</summary>
    public bool Follows(string stream)
    {
        lock (_gate)
        {
            return _cursors.TryGetValue(stream, out var cursor) && cursor.Last is not null;
        }
    }

    /// <summary>
    /// Whether frames of the stream were already sent live past <paramref name="offset"/> on this socket: a replay from
    /// there would repeat them, so such a stream must be reset instead.
    /// </summary>
    public bool SentPast(string stream, long offset)
    {
        lock (_gate)
        {
            return _cursors.TryGetValue(stream, out var cursor)
                && cursor.Last is { } last && cursor.Initial is { } initial
                && last > initial && last > offset;
        }
    }

    /// <summary>The offset last sent on a stream, or null when its position is not known.</summary>
    public long? LastSent(string stream)
    {
        lock (_gate)
        {
            return _cursors.TryGetValue(stream, out var cursor) ? cursor.Last : null;
        }
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

    /// <summary>Lifts the hold of streams that a resume did not position (it failed): live delivery goes on from their cursor.</summary>
    public void Unhold(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                if (_cursors.TryGetValue(stream, out var cursor) && cursor.Holding)
                {
                    cursor.Holding = false;
                    if (!_holdAll && cursor.Last is not null)
                    {
                        Release(stream, cursor);
                    }
                }
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
            if (string.Equals(_lastStream, stream, StringComparison.Ordinal))
            {
                _lastStream = null;
                _lastCursor = null;
            }
        }
    }

    /// <summary>
    /// Sends replayed frames in order (used by resume, before the streams' hold is lifted), flow-controlled: each
    /// waits for room in the send queue, so a replay of any retained depth is never mistaken for a slow consumer.
    /// </summary>
    public Task ReplayAsync(IEnumerable<StreamMessage> messages) => SendInOrderAsync(messages);

    private Cursor Get(string stream)
    {
        if (_lastCursor is { } last && string.Equals(_lastStream, stream, StringComparison.Ordinal))
        {
            return last;
        }

        if (!_cursors.TryGetValue(stream, out var cursor))
        {
            cursor = new Cursor();
            _cursors[stream] = cursor;
        }

        _lastStream = stream;
        _lastCursor = cursor;
        return cursor;
    }

    private void Hold(Cursor cursor, StreamMessage message, ReadOnlyMemory<byte> encoded)
    {
        cursor.Held ??= [];
        cursor.Held[message.Offset] = (message, encoded);
        if (cursor.Held.Count > maxHeld)
        {
            socket.Close(CloseReason.TooSlow, dropPending: true);
        }
    }

    private void Advance(string stream, Cursor cursor, StreamMessage message, ReadOnlyMemory<byte> encoded)
    {
        if (cursor.Epoch is not null && message.Epoch != cursor.Epoch)
        {
            // The stream was rebuilt without its history: say so, then follow the new epoch.
            socket.SendReset(stream, ResetReasons.Epoch);
            cursor.Epoch = message.Epoch;
            cursor.Last = message.Offset - 1;
            cursor.Held = null;
        }

        var last = cursor.Last!.Value;
        if (message.Offset <= last)
        {
            return;
        }

        if (message.Offset == last + 1)
        {
            socket.Send(encoded);
            cursor.Last = message.Offset;
            cursor.Epoch ??= message.Epoch;
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
            if (cursor.Epoch is not null && message.Epoch != cursor.Epoch)
            {
                Advance(stream, cursor, message, encoded);
                continue;
            }

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
        RepairAsync(stream, cursor).Ignore();
    }

    private async Task RepairAsync(string stream, Cursor cursor)
    {
        long after;
        lock (_gate)
        {
            after = cursor.Last!.Value;
        }

        try
        {
            // A page per fetch: on while pages close some of the gap before the held frames.
            while (await FetchPageAsync(stream, cursor, after) is { } sent && sent > after)
            {
                after = sent;
            }
        }
        catch (Exception ex)
        {
            // Every attempt the retry policy allows failed: what is still missing is reported as a gap.
            LogRepairFailed(logger, ex, stream);
        }

        lock (_gate)
        {
            EndRepair(stream, cursor);
        }
    }

    /// <summary>
    /// Fetches and sends one page of the frames after <paramref name="after"/>; answers the cursor then if frames are
    /// still missing before the held ones, else null (the gap is closed, or no more is retained).
    /// </summary>
    private async Task<long?> FetchPageAsync(string stream, Cursor cursor, long after)
    {
        // The tab grain may be failing over: a fetch is asked again rather than the frames declared lost.
        var page = await GrainRetry.CallAsync((fetch, stream, after), static s => s.fetch(s.stream, s.after), attemptTimeout, budget, clock, logger, stream, "repair");
        await SendInOrderAsync(page);
        lock (_gate)
        {
            var missing = cursor.Held is { Count: > 0 } held && held.Keys.First() > cursor.Last + 1;
            return !page.IsEmpty && missing ? cursor.Last : null;
        }
    }

    /// <summary>
    /// Sends fetched frames (a resume's replay, or the frames that close a gap) that are next on their stream's cursor,
    /// each after waiting for room in the send queue: flow-controlled, so a replay of any depth is never taken for a slow
    /// consumer. Live frames of those streams stay held meanwhile.
    /// </summary>
    private async Task SendInOrderAsync(IEnumerable<StreamMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!await socket.WaitForReplayRoomAsync())
            {
                return;
            }

            lock (_gate)
            {
                var cursor = Get(message.Stream);
                if (cursor.Last is { } last && message.Offset == last + 1 && (cursor.Epoch is null || message.Epoch == cursor.Epoch))
                {
                    socket.Send(StreamFrames.Message(message));
                    cursor.Last = message.Offset;
                }
            }
        }
    }

    /// <summary>A repair is done: what is still missing before the held frames is no longer retained, and the held frames go out.</summary>
    private void EndRepair(string stream, Cursor cursor)
    {
        cursor.Repairing = false;
        if (cursor.Held is { Count: > 0 } held && held.Keys.First() > cursor.Last + 1)
        {
            // The missing frames are no longer retained: say so rather than leave a silent gap.
            socket.SendReset(stream, ResetReasons.Gap);
            cursor.Last = held.Keys.First() - 1;
        }

        if (!cursor.Holding && !_holdAll)
        {
            Release(stream, cursor);
        }
    }

    private sealed class Cursor
    {
        public string? Epoch { get; set; }

        public long? Last { get; set; }

        public long? Initial { get; set; }

        public bool Holding { get; set; }

        public bool Repairing { get; set; }

        public SortedDictionary<long, (StreamMessage Message, ReadOnlyMemory<byte> Encoded)>? Held { get; set; }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Could not fetch missing frames of {Stream}")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception, string stream);
}
