using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Sessions;

/// <summary>The session's tabs: attaching a tab's connection (takeover, duplicates, the tab cap), recalling it, detaching it.</summary>
public sealed partial class SessionGrain
{
    public async Task<TabEntry[]?> GetTabsAsync() =>
        await EnsureLiveAsync()
            ? [.. S.Tabs.Values.Select(t => Entry(t, t.Connected))]
            : null;

    private static TabEntry Entry(AttachedTab tab, bool connected) =>
        new(tab.Tab, tab.Channel, connected, tab.Connected ? tab.FrontEnd : null, tab.ConnectedAt, tab.LastClose);

    public async Task<TabAttachment> AttachTabAsync(TabAddress tab, TabBinding binding)
    {
        if (!await EnsureLiveAsync())
        {
            return TabAttachment.Ended;
        }

        var now = clock.GetUtcNow();
        var key = tab.ToGrainKey();
        S.Tabs.TryGetValue(key, out var previous);
        if (previous is null && IsNewTabOverCap(tab.Tab))
        {
            LogTooManyTabs(logger, _id, tab.Tab, _options.MaxTabsPerSession);
            return TabAttachment.TooManyTabs;
        }

        if (previous is null)
        {
            ForgetReleasedOverCap();
        }

        // A connection recorded before this one, which the new socket takes over (or, from another page, is refused by).
        var recorded = previous is { Connected: true, ConnectionId: { } old, FrontEnd: { } oldFrontEnd } && old != binding.ConnectionId
            ? new TabConnection(oldFrontEnd, old)
            : null;
        if (recorded is not null && binding.Reclaim)
        {
            // Another socket took the tab while this one was cut off: that one stays.
            return TabAttachment.Duplicate;
        }

        if (recorded is not null && binding.RecordedMayBeLive && previous!.Instance is { } instance && instance != binding.Instance)
        {
            LogDuplicate(logger, key, binding.Instance, instance);
            return TabAttachment.Duplicate;
        }

        var lastClose = recorded is not null ? TabClose.Of(CloseReason.Superseded, now) : previous?.LastClose;

        // The epoch of a stream the tab never wrote stays the first one recorded, so a reactivated tab resumes it.
        var unwrittenEpoch = binding.UnwrittenEpoch is null ? null : previous?.UnwrittenEpoch ?? binding.UnwrittenEpoch;
        S.Tabs[key] = new AttachedTab
        {
            Tab = tab.Tab, Channel = tab.Channel, Connected = true, FrontEnd = binding.FrontEnd, ConnectionId = binding.ConnectionId,
            ConnectedAt = now, LastClose = lastClose, Instance = binding.Instance, UnwrittenEpoch = unwrittenEpoch,
        };
        var pending = TakePending(now);
        S.LastSeenAt = now;
        await WriteAsync();
        EnsureExpiryTimer();
        var serverRooms = ServerRoomsOf(tab);
        return pending.IsEmpty && recorded is null && unwrittenEpoch is null && serverRooms.IsDefault
            ? TabAttachment.Attached
            : new TabAttachment(AttachOutcome.Attached, pending, recorded, unwrittenEpoch, serverRooms);
    }

    public async Task<TabRecall> RecallTabAsync(TabAddress tab)
    {
        if (!await EnsureLiveAsync())
        {
            return TabRecall.Ended;
        }

        await SlideAsync();
        var entry = S.Tabs.GetValueOrDefault(tab.ToGrainKey());
        var connection = entry is { Connected: true, FrontEnd: { } frontEnd, ConnectionId: { } connectionId } ? new TabConnection(frontEnd, connectionId) : null;
        return new TabRecall(true, S.User, connection, entry?.Instance, entry?.UnwrittenEpoch, S.Name);
    }

    /// <summary>
    /// Whether a tab id the session has not seen on this channel would exceed the cap. Only then are the distinct tab ids
    /// counted, so a reconnect (the common connect) costs a dictionary lookup.
    /// </summary>
    private bool IsNewTabOverCap(string tabId)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in S.Tabs.Values.Where(e => !e.Released))
        {
            if (entry.Tab == tabId)
            {
                return false;
            }

            ids.Add(entry.Tab);
        }

        return ids.Count >= _options.MaxTabsPerSession;
    }

    /// <summary>
    /// Tabs their pages closed (released) stay listed for the audit until their retention ends, but never beyond the tab
    /// cap: a new tab takes the place of the oldest of them, so a page that opens and closes sockets in a loop cannot grow
    /// the session. Called under the session's turn before the attach's one write.
    /// </summary>
    private void ForgetReleasedOverCap()
    {
        var ids = S.Tabs.Values.Select(t => t.Tab).ToHashSet(StringComparer.Ordinal);
        if (ids.Count < _options.MaxTabsPerSession)
        {
            return;
        }

        var released = S.Tabs.Where(t => t.Value.Released).OrderBy(t => t.Value.LastClose?.At ?? t.Value.ConnectedAt).ToList();
        foreach (var (key, entry) in released)
        {
            S.Tabs.Remove(key);
            if (!S.Tabs.Values.Any(t => t.Tab == entry.Tab) && ids.Remove(entry.Tab) && ids.Count < _options.MaxTabsPerSession)
            {
                return;
            }
        }
    }

    public async Task DetachTabAsync(TabAddress tab, string? connectionId, bool forget, TabClose close, bool released)
    {
        if (S.Revoked || !S.Tabs.TryGetValue(tab.ToGrainKey(), out var entry) || (connectionId is not null && entry.ConnectionId != connectionId))
        {
            return;
        }

        if (forget)
        {
            S.Tabs.Remove(tab.ToGrainKey());
        }
        else
        {
            entry.Connected = false;
            entry.FrontEnd = null;
            entry.ConnectionId = null;
            entry.LastClose = close;
            entry.Released = released;
        }

        await WriteAsync();
        if (S.Tabs.Count == 0)
        {
            StopExpiryTimer();
        }
    }

    public async Task TouchAsync()
    {
        if (await EnsureLiveAsync())
        {
            await SlideAsync();
        }
    }
}
