using OrleansTabs.Grains.Streams;
using OrleansTabs.Rooms;
using OrleansTabs.Streams;

namespace OrleansTabs.Grains.Rooms;

/// <summary>Reads of the retained log: the head, replay pages and history pages, each within its reply budget.</summary>
public sealed partial class RoomGrain
{
    public Task<StreamPosition> HeadAsync() => Task.FromResult(Head());

    public Task<RoomReplay> ReplayAsync(StreamPosition position, int maxBytes)
    {
        var oldest = OldestRetained();
        if (StreamLog.ResetReason(position, Head(), oldest) is { } reset)
        {
            return Task.FromResult(new RoomReplay([], reset, Head()));
        }

        var after = _messages.Skip(IndexOf(position.Offset + 1)).Select(ToStreamMessage);
        var page = ReplyPage.Take(after, ReplyBudget.MaxReplayMessages, maxBytes, out _);
        return Task.FromResult(new RoomReplay([.. page], null, Head()));
    }

    public Task<RoomHistoryPage> HistoryAsync(long? before, int limit)
    {
        var count = Math.Clamp(limit, 1, RoomHistory.MaxLimit);
        var end = before is { } b ? IndexOf(b) : _messages.Count;
        var newestFirst = Enumerable.Range(0, end).Select(i => ToStreamMessage(_messages[end - 1 - i]));
        var page = ReplyPage.Take(newestFirst, count, ReplyBudget.MaxBytes, out var truncated);
        page.Reverse();
        return Task.FromResult(new RoomHistoryPage([.. page], truncated));
    }

    private long OldestRetained() => _messages.Count > 0 ? _messages[0].Offset : _head + 1;

    /// <summary>The index in the retained log of <paramref name="offset"/> (offsets are consecutive), clamped to it.</summary>
    private int IndexOf(long offset) => (int)Math.Clamp(offset - OldestRetained(), 0, _messages.Count);
}
