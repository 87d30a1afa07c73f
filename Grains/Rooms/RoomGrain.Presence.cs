using OrleansTabs.Grains.Streams;
using OrleansTabs.Presence;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// Presence (docs/protocol.md section 6.2): the connected members with their user and page state, in memory. Changes are
/// gathered for a few milliseconds and go out as one diff, computed against what the watchers last saw, with one call
/// per front-end holding watchers. Only sockets that asked <c>who</c> get diffs, so presence costs a room nothing
/// until someone watches it, and nothing per message ever.
/// </summary>
public sealed partial class RoomGrain
{
    private static readonly TimeSpan PresenceBatch = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<string, PresentTab> _present = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _presentPerUser = new(StringComparer.Ordinal);

    /// <summary>For each tab changed since the last diff, its entry then (null: absent).</summary>
    private readonly Dictionary<string, PresentTab?> _presenceBefore = new(StringComparer.Ordinal);

    /// <summary>Members whose current connection gets the diffs, with that connection.</summary>
    private readonly Dictionary<string, Member> _watchers = new(StringComparer.Ordinal);

    private IGrainTimer? _presenceFlush;
    private bool _presenceLoaded;

    public Task UpdatePresenceAsync(string tabKey, TabPresence presence)
    {
        if (_present.ContainsKey(tabKey))
        {
            SetPresent(tabKey, presence);
        }

        return Task.CompletedTask;
    }

    public async Task<PresencePage> WhoAsync(string tabKey, string? after)
    {
        if (!_presenceLoaded)
        {
            await LoadPresenceAsync();
        }

        // What changed so far goes to the current watchers first; the newcomer starts from the state it is given.
        FlushPresence();
        if (_members.TryGetValue(tabKey, out var member) && member.ConnectionId is not null)
        {
            _watchers[tabKey] = member;
        }

        return PresencePageAfter(after);
    }

    /// <summary>
    /// The present tabs after the cursor <paramref name="after"/> in (user, tab) order, within the reply budget. The
    /// cursor is the last tab's id and user (<c>tab:user</c>; a tab id has no colon), so a page follows on from where
    /// the previous one ended however presence changed meanwhile.
    /// </summary>
    private PresencePage PresencePageAfter(string? after)
    {
        var (afterUser, afterTab) = after?.IndexOf(':') is { } colon and >= 0 ? (after[(colon + 1)..], after[..colon]) : ("", "");
        var ordered = _present.Values
            .Where(t => after is null || ComparePresent(t, afterUser, afterTab) > 0)
            .OrderBy(t => t.User, StringComparer.Ordinal)
            .ThenBy(t => t.Tab, StringComparer.Ordinal);
        var page = ImmutableArray.CreateBuilder<PresentTab>();
        var bytes = 0;
        foreach (var tab in ordered)
        {
            bytes += ReplySize.Of(tab);
            if (page.Count == ReplyBudget.MaxPresenceTabs || (bytes > ReplyBudget.MaxBytes && page.Count > 0))
            {
                var last = page[^1];
                return new PresencePage(page.ToImmutable(), $"{last.Tab}:{last.User}");
            }

            page.Add(tab);
        }

        return new PresencePage(page.ToImmutable(), null);
    }

    private static int ComparePresent(PresentTab tab, string user, string tabId)
    {
        var byUser = string.CompareOrdinal(tab.User, user);
        return byUser != 0 ? byUser : string.CompareOrdinal(tab.Tab, tabId);
    }

    public async Task<ImmutableArray<PresentTab>> GetPresenceAsync()
    {
        if (!_presenceLoaded)
        {
            await LoadPresenceAsync();
        }

        return [.. _present.Values];
    }

    /// <summary>Records a member's presence after a change of its location or state (null presence: not present).</summary>
    private void OnMemberChanged(string tabKey, Member member, TabPresence? presence)
    {
        if (_watchers.TryGetValue(tabKey, out var watching) && watching != member)
        {
            // Diffs follow one connection: a reconnected tab asks `who` again.
            _watchers.Remove(tabKey);
        }

        SetPresent(tabKey, member.ConnectionId is null ? null : presence);
    }

    private void SetPresent(string tabKey, TabPresence? presence)
    {
        var before = _present.GetValueOrDefault(tabKey);
        PresentTab? after = presence is null
            ? null
            : new PresentTab(presence.User, presence.Tab, presence.Visible, presence.Focused, before?.Since ?? clock.GetUtcNow(), presence.Name);
        if (before == after)
        {
            return;
        }

        _presenceBefore.TryAdd(tabKey, before);
        if (before is not null)
        {
            _present.Remove(tabKey);
            Count(before.User, -1);
        }

        if (after is not null)
        {
            _present[tabKey] = after;
            Count(after.User, +1);
        }

        if (_watchers.Count == 0)
        {
            // Nobody watches: nothing to tell, and the next watcher starts from the state it is given.
            _presenceBefore.Clear();
            return;
        }

        _presenceFlush ??= this.RegisterGrainTimer(
            static (grain, _) =>
            {
                grain.FlushPresence();
                return Task.CompletedTask;
            },
            this,
            new GrainTimerCreationOptions(PresenceBatch, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private void Count(string user, int delta)
    {
        var count = _presentPerUser.GetValueOrDefault(user) + delta;
        if (count == 0)
        {
            _presentPerUser.Remove(user);
        }
        else
        {
            _presentPerUser[user] = count;
        }
    }

    /// <summary>Sends the changes since the last diff as one diff, one call per front-end holding watchers.</summary>
    private void FlushPresence()
    {
        _presenceFlush?.Dispose();
        _presenceFlush = null;
        if (_presenceBefore.Count == 0)
        {
            return;
        }

        var joins = ImmutableArray.CreateBuilder<PresentTab>();
        var leaves = ImmutableArray.CreateBuilder<PresentTab>();
        var touched = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tabKey, before) in _presenceBefore)
        {
            var after = _present.GetValueOrDefault(tabKey);
            if (before == after)
            {
                continue;
            }

            if (before is not null)
            {
                leaves.Add(before);
                touched[before.User] = touched.GetValueOrDefault(before.User) + 1;
            }

            if (after is not null)
            {
                joins.Add(after);
                touched[after.User] = touched.GetValueOrDefault(after.User) - 1;
            }
        }

        _presenceBefore.Clear();
        if (joins.Count == 0 && leaves.Count == 0)
        {
            return;
        }

        // A user's present tabs before the diff: now, plus those that left, minus those that came.
        var online = ImmutableArray.CreateBuilder<string>();
        var offline = ImmutableArray.CreateBuilder<string>();
        foreach (var (user, change) in touched)
        {
            var now = _presentPerUser.GetValueOrDefault(user);
            var then = now + change;
            if (then == 0 && now > 0)
            {
                online.Add(user);
            }
            else if (then > 0 && now == 0)
            {
                offline.Add(user);
            }
        }

        var diff = new PresenceDiff(joins.ToImmutable(), leaves.ToImmutable(), online.ToImmutable(), offline.ToImmutable());
        foreach (var group in _watchers.Values.GroupBy(w => w.FrontEnd!, StringComparer.Ordinal))
        {
            var connections = group.Select(w => w.ConnectionId!).ToImmutableArray();
            if (_observers.TryGetValue(group.Key, out var observer))
            {
                observer.PresenceAsync(_room, diff, connections).Ignore();
            }
            else
            {
                ViaDirectoryAsync(group.Key, o => o.PresenceAsync(_room, diff, connections)).Ignore();
            }
        }
    }

    /// <summary>
    /// After a reactivation the room knows its connected members from storage but not their users or states: the first
    /// <c>who</c> asks those tabs once (a tab that cannot answer is left out until it joins or reconnects again).
    /// </summary>
    private async Task LoadPresenceAsync()
    {
        var unknown = _members.Where(m => m.Value.ConnectionId is not null && !_present.ContainsKey(m.Key)).Select(m => m.Key).ToArray();
        var answers = await Task.WhenAll(unknown.Select(async key =>
        {
            try
            {
                return await GrainFactory.Get<ITabGrain>(key).GetPresenceAsync();
            }
            catch (Exception)
            {
                return null;
            }
        }));
        for (var i = 0; i < unknown.Length; i++)
        {
            if (answers[i] is { } presence && !_present.ContainsKey(unknown[i]) && _members.GetValueOrDefault(unknown[i]).ConnectionId is not null)
            {
                var entry = new PresentTab(presence.User, presence.Tab, presence.Visible, presence.Focused, clock.GetUtcNow(), presence.Name);
                _present[unknown[i]] = entry;
                Count(entry.User, +1);
            }
        }

        _presenceLoaded = true;
    }
}
