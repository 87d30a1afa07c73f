using OrleansTabs.FrontEnds;
using OrleansTabs.Streams;

namespace OrleansTabs.Grains.Rooms;

/// <summary>Fan-out: one one-way call per front-end holding member tabs, per group commit.</summary>
public sealed partial class RoomGrain
{
    /// <summary>One one-way call per front-end holding member tabs for a whole batch; the front-end encodes each frame once and writes it to each socket.</summary>
    private void FanOut(ImmutableArray<StreamMessage> messages)
    {
        // The grouping by front-end changes only with membership, not per message.
        _fanOutPlan ??= [.. _members.Values
            .Where(m => m.ConnectionId is not null)
            .GroupBy(m => m.FrontEnd!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(m => m.ConnectionId!).ToImmutableArray()))];
        foreach (var (frontEnd, connections) in _fanOutPlan)
        {
            if (_observers.TryGetValue(frontEnd, out var observer))
            {
                observer.DeliverAsync(messages, connections).Ignore();
            }
            else
            {
                ViaDirectoryAsync(frontEnd, observer => observer.DeliverAsync(messages, connections)).Ignore();
            }
        }
    }

    /// <summary>
    /// Fans a stored message out again, for the resend of a post whose first answer was lost: its fan-out may have been
    /// lost with it (an activation that died between the durable write and the fan-out, or a write whose reply never
    /// came). Members' cursors drop it if they have it, so a repeat is harmless.
    /// </summary>
    private void Redeliver(long offset)
    {
        var index = IndexOf(offset);
        if (index < _messages.Count && _messages[index].Offset == offset)
        {
            FanOut([ToStreamMessage(_messages[index])]);
        }
    }

    /// <summary>Sends to a front-end whose observer this activation does not know yet, once it is found.</summary>
    private async Task ViaDirectoryAsync(string frontEnd, Func<IFrontEndObserver, Task> send)
    {
        // One lookup per unknown front-end, shared by every message that needs it meanwhile.
        if (!_resolving.TryGetValue(frontEnd, out var lookup))
        {
            lookup = ResolveAsync(frontEnd);
            _resolving[frontEnd] = lookup;
            if (lookup.IsCompleted)
            {
                _resolving.Remove(frontEnd);
            }
        }

        if (await lookup is { } observer)
        {
            await send(observer);
        }
    }

    /// <summary>
    /// After a reactivation the room knows where members are but not the front-ends' observers, and after a silo loss
    /// the directory itself is rebuilt by the front-ends' next renewals, which can take as long as a renewal that was
    /// in flight to the lost silo: keep asking, backing off, for <see cref="Options.RoomOptions.FrontEndResolveTimeout"/>
    /// (messages for that front-end wait meanwhile, so its sockets get them late but gap-free). A front-end that never
    /// shows up is gone, and so are the sockets the room thought it held.
    /// </summary>
    private async Task<IFrontEndObserver?> ResolveAsync(string frontEnd)
    {
        var directory = GrainFactory.GetFrontEndDirectory();
        var started = clock.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        try
        {
            while (true)
            {
                if (await directory.ResolveAsync(frontEnd) is { } observer)
                {
                    _observers[frontEnd] = observer;
                    return observer;
                }

                var left = _options.FrontEndResolveTimeout - clock.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                await Task.Delay(delay < left ? delay : left, clock);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }

            LogFrontEndNotFound(logger, _room, frontEnd, _options.FrontEndResolveTimeout);
            foreach (var (tabKey, member) in _members.Where(m => m.Value.FrontEnd == frontEnd).ToList())
            {
                OnMemberChanged(tabKey, Member.Disconnected, null);
                _members[tabKey] = Member.Disconnected;
            }

            _fanOutPlan = null;
            return null;
        }
        finally
        {
            _resolving.Remove(frontEnd);
        }
    }
}
