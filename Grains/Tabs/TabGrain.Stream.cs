using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Streams;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>The tab's own resumable stream (<c>tab</c>): frames addressed to this tab alone.</summary>
public sealed partial class TabGrain
{
    /// <summary>Frames kept for an unacknowledged tab; older ones are dropped and a resume from before them gets a reset.</summary>
    public const int MaxQueuedFrames = 1000;

    public async Task<bool> PushAsync(string payloadJson, string? idempotencyKey = null)
    {
        await EnsureBoundAsync();
        var now = clock.GetUtcNow();
        S.PushReceipts.RemoveAll(r => now - r.At >= roomOptions.Value.DedupWindow);
        if (idempotencyKey is not null && S.PushReceipts.Find(r => r.Key == idempotencyKey) is { } receipt)
        {
            return receipt.Delivered;
        }

        var observer = S.ConnectionId is null ? null : await ObserverAsync();
        var message = new TabMessage { Offset = S.Offset + 1, Id = Guid.NewGuid().ToString("N"), PayloadJson = payloadJson, Timestamp = now };
        var change = new PushChange(S, message, idempotencyKey is null ? null : new PushReceipt { Key = idempotencyKey, Delivered = observer is not null, At = now });
        var created = !state.RecordExists;
        try
        {
            // Durable before it is delivered, so a resume after any failure finds it.
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing half-applied: no frame, no offset and no receipt stay behind in memory for a later write to persist.
            change.Undo(S);
            throw;
        }

        if (S.ConnectionId is null && created)
        {
            StartRetentionTimer();
        }

        if (S.ConnectionId is { } connection && observer is not null)
        {
            observer.DeliverAsync([ToStreamMessage(message)], [connection]).Ignore();
            return true;
        }

        return false;
    }

    public async Task<ResumeResult> ResumeAsync(string connectionId, ImmutableDictionary<string, StreamPosition> streams)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return new ResumeResult([], ImmutableDictionary<string, StreamResume>.Empty, verdict);
        }

        // One budget for the whole answer: the front-end fetches the rest of each stream in pages.
        var replay = ImmutableArray.CreateBuilder<StreamMessage>();
        var outcomes = ImmutableDictionary.CreateBuilder<string, StreamResume>(StringComparer.Ordinal);
        var budget = ReplyBudget.MaxBytes;
        foreach (var (stream, position) in streams)
        {
            var before = replay.Count;
            outcomes[stream] = stream == StreamNames.Tab
                ? ResumeTabStream(position, replay, budget)
                : await ResumeRoomAsync(stream, position, replay, budget);
            for (var i = before; i < replay.Count; i++)
            {
                budget -= ReplySize.Of(replay[i]);
            }
        }

        return new ResumeResult(replay.ToImmutable(), outcomes.ToImmutable(), FrameVerdict.Ok);
    }

    public async Task<ImmutableArray<StreamMessage>> ReplayAsync(string stream, long afterOffset)
    {
        if (stream == StreamNames.Tab)
        {
            return [.. TabPage(afterOffset, ReplyBudget.MaxBytes)];
        }

        return await ReplayRoomAsync(stream, afterOffset);
    }

    public async Task<FrameVerdict> AckAsync(string connectionId, string stream, long offset)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return verdict;
        }

        if (stream == StreamNames.Tab && offset > 0 && S.Queue.RemoveAll(m => m.Offset <= offset) > 0)
        {
            await state.WriteStateAsync();
        }

        return FrameVerdict.Ok;
    }

    /// <summary>Resumes the tab's own stream: its outcome, and its first frames within <paramref name="budget"/> bytes added to <paramref name="replay"/>.</summary>
    private StreamResume ResumeTabStream(StreamPosition position, ImmutableArray<StreamMessage>.Builder replay, int budget)
    {
        var head = new StreamPosition(S.Epoch, S.Offset);
        var oldest = S.Queue.Count > 0 ? S.Queue[0].Offset : S.Offset + 1;
        if (StreamLog.ResetReason(position, head, oldest) is { } reset)
        {
            return new StreamResume(0, reset, head);
        }

        replay.AddRange(TabPage(position.Offset, budget));
        return new StreamResume((int)(head.Offset - position.Offset), null, head);
    }

    /// <summary>The first retained frames of the tab's stream after <paramref name="afterOffset"/>, within a page's budget.</summary>
    private List<StreamMessage> TabPage(long afterOffset, int maxBytes) =>
        ReplyPage.Take(S.Queue.Where(m => m.Offset > afterOffset).Select(ToStreamMessage), ReplyBudget.MaxReplayMessages, maxBytes, out _);

    /// <summary>Appends a frame to the tab's own stream (in memory; the caller writes the state before delivering it).</summary>
    private TabMessage Append(string payloadJson)
    {
        var message = new TabMessage
        {
            Offset = S.Offset + 1,
            Id = Guid.NewGuid().ToString("N"),
            PayloadJson = payloadJson,
            Timestamp = clock.GetUtcNow(),
        };
        S.Offset = message.Offset;
        S.Queue.Add(message);
        if (S.Queue.Count > MaxQueuedFrames)
        {
            S.Queue.RemoveRange(0, S.Queue.Count - MaxQueuedFrames);
        }

        return message;
    }

    /// <summary>Appends the pushes the session kept for its next tab; returns them to deliver once the state is written.</summary>
    private ImmutableArray<StreamMessage> AppendPending(ImmutableArray<string> pending) =>
        pending.IsDefaultOrEmpty ? [] : [.. pending.Select(p => ToStreamMessage(Append(p)))];

    private async Task<IFrontEndObserver?> ObserverAsync()
    {
        if (_observer is null && S.FrontEnd is { } frontEnd)
        {
            _observer = await GrainFactory.GetFrontEndDirectory().ResolveAsync(frontEnd);
        }

        return _observer;
    }

    /// <summary>A push applied to the state (frame, trimmed queue, receipt), with what it takes to undo it.</summary>
    private sealed class PushChange
    {
        private readonly TabMessage _message;
        private readonly List<TabMessage> _trimmed;
        private readonly List<PushReceipt> _dropped;
        private readonly PushReceipt? _receipt;

        public PushChange(TabState state, TabMessage message, PushReceipt? receipt)
        {
            _message = message;
            _receipt = receipt;
            state.Offset = message.Offset;
            state.Queue.Add(message);
            var excess = Math.Max(0, state.Queue.Count - MaxQueuedFrames);
            _trimmed = state.Queue.GetRange(0, excess);
            state.Queue.RemoveRange(0, excess);
            _dropped = [];
            if (receipt is not null)
            {
                state.PushReceipts.Add(receipt);
                var over = Math.Max(0, state.PushReceipts.Count - MaxQueuedFrames);
                _dropped = state.PushReceipts.GetRange(0, over);
                state.PushReceipts.RemoveRange(0, over);
            }
        }

        public void Undo(TabState state)
        {
            state.Queue.Remove(_message);
            state.Queue.InsertRange(0, _trimmed);
            state.Offset = _message.Offset - 1;
            if (_receipt is not null)
            {
                state.PushReceipts.Remove(_receipt);
                state.PushReceipts.InsertRange(0, _dropped);
            }
        }
    }

    private StreamMessage ToStreamMessage(TabMessage m) =>
        StreamMessage.Pushed(StreamNames.Tab, S.Epoch, m.Offset, m.Id, m.PayloadJson, m.Timestamp);
}
