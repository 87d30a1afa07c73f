using OrleansTabs.FrontEnds;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>The tab's own resumable stream (<c>tab</c>): frames addressed to this tab alone.</summary>
public sealed partial class TabGrain
{
    private const string TabStream = StreamNames.Tab;

    /// <summary>Frames kept for an unacknowledged tab; older ones are dropped and a resume from before them gets a reset.</summary>
    public const int MaxQueuedFrames = 1000;

    public async Task<bool> PushAsync(string payloadJson)
    {
        var message = Append(payloadJson);
        if (S.ConnectionId is null && !state.RecordExists)
        {
            StartRetentionTimer();
        }

        // Durable before it is delivered, so a resume after any failure finds it.
        await state.WriteStateAsync();
        if (S.ConnectionId is { } connection && await ObserverAsync() is { } observer)
        {
            observer.DeliverAsync([ToStreamMessage(message)], [connection]).Ignore();
            return true;
        }

        return false;
    }

    public async Task<ResumeResult> ResumeAsync(string connectionId, ImmutableDictionary<string, StreamPosition> streams)
    {
        if (await FenceAsync(connectionId) is var verdict and not FrameVerdict.Ok)
        {
            return new ResumeResult([], ImmutableDictionary<string, StreamResume>.Empty, verdict);
        }

        var replay = ImmutableArray.CreateBuilder<StreamMessage>();
        var outcomes = ImmutableDictionary.CreateBuilder<string, StreamResume>(StringComparer.Ordinal);

        foreach (var (stream, position) in streams)
        {
            if (stream == TabStream)
            {
                outcomes[stream] = ResumeTabStream(position, replay);
            }
            else
            {
                outcomes[stream] = await ResumeRoomAsync(stream, position, replay);
            }
        }

        return new ResumeResult(replay.ToImmutable(), outcomes.ToImmutable());
    }

    public async Task<ImmutableArray<StreamMessage>> ReplayAsync(string stream, long afterOffset)
    {
        if (stream == TabStream)
        {
            return [.. S.Queue.Where(m => m.Offset > afterOffset).Select(ToStreamMessage)];
        }

        return await ReplayRoomAsync(stream, afterOffset);
    }

    public async Task<FrameVerdict> AckAsync(string connectionId, string stream, long offset)
    {
        if (await FenceAsync(connectionId) is var verdict and not FrameVerdict.Ok)
        {
            return verdict;
        }

        if (stream == TabStream && offset > 0 && S.Queue.RemoveAll(m => m.Offset <= offset) > 0)
        {
            await state.WriteStateAsync();
        }

        return FrameVerdict.Ok;
    }

    private StreamResume ResumeTabStream(StreamPosition position, ImmutableArray<StreamMessage>.Builder replay)
    {
        var head = new StreamPosition(S.Epoch, S.Offset);
        if (position.Epoch != S.Epoch || position.Offset > S.Offset)
        {
            return new StreamResume(0, "epoch", head);
        }

        var oldest = S.Queue.Count > 0 ? S.Queue[0].Offset : S.Offset + 1;
        if (position.Offset < oldest - 1)
        {
            return new StreamResume(0, "gap", head);
        }

        var missed = S.Queue.Where(m => m.Offset > position.Offset).Select(ToStreamMessage).ToList();
        replay.AddRange(missed);
        return new StreamResume(missed.Count, null, head);
    }

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
            _observer = await GrainFactory.GetGrain<IFrontEndDirectoryGrain>(0).ResolveAsync(frontEnd);
        }

        return _observer;
    }

    private StreamMessage ToStreamMessage(TabMessage m) =>
        new(TabStream, S.Epoch, m.Offset, m.Id, null, null, null, null, null, m.PayloadJson, m.Timestamp);
}
