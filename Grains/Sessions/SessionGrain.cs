using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Storage;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Sessions;

/// <summary>
/// A signed-in session. Sliding and absolute expiry are checked against the injected clock on every call and by a
/// timer that runs only while tabs are attached (an idle session without tabs needs no timer: its next use finds it
/// expired). Ending a session persists the revoked flag before any tab is told, so fencing never depends on a push.
/// </summary>
public sealed partial class SessionGrain(
    [PersistentState("session", GrainServiceCollectionExtensions.StorageName)] IPersistentState<SessionState> state,
    IOptions<SessionOptions> options,
    IOptions<TabOptions> tabOptions,
    TimeProvider clock,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private const string ExpiryReminder = "expiry";

    private readonly SessionOptions _options = options.Value;
    private IGrainTimer? _expiryTimer;
    private string _id = "";
    private DateTimeOffset _persistedSeenAt;
    private GroupCommit? _writes;
    private double _sendTokens = options.Value.SendBurst;
    private long _sendTokensAt = clock.GetTimestamp();

    private SessionState S => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyString();
        _persistedSeenAt = S.LastSeenAt;
        if (IsLive(clock.GetUtcNow()) && S.Tabs.Count > 0)
        {
            EnsureExpiryTimer();
        }

        return Task.CompletedTask;
    }

    public Task<SessionInfo> StartAsync(string user) => StartAsync(new SessionStart(user, user, [], null));

    public async Task<SessionInfo> StartAsync(SessionStart start)
    {
        if (state.RecordExists || S.User is not null)
        {
            throw new InvalidOperationException("This session id is already in use.");
        }

        var now = clock.GetUtcNow();
        var user = start.User;
        S.User = user;
        S.Name = start.Name == user ? null : start.Name;
        S.Claims = start.Claims.Length == 0 ? null : [.. start.Claims];
        S.ClaimsExpireAt = start.ClaimsExpireAt;
        S.CreatedAt = now;
        S.LastSeenAt = now;
        await WriteAsync();

        // A durable backstop: a session nobody uses again is still ended (and its state removed) after it expires.
        var period = _options.SlidingExpiration < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : _options.SlidingExpiration;
        await this.RegisterOrUpdateReminder(ExpiryReminder, period, period);
        LogStarted(logger, _id, user);
        return Info();
    }

    public async Task<SessionInfo?> ValidateAsync()
    {
        if (!await EnsureLiveAsync())
        {
            return null;
        }

        await SlideAsync();
        return Info();
    }

    public async Task<SessionView?> DescribeAsync()
    {
        if (!await EnsureLiveAsync())
        {
            return null;
        }

        await SlideAsync();
        var live = (await GrainFactory.GetGrain<IFrontEndDirectoryGrain>(0).GetLiveAsync())
            .Select(l => l.FrontEnd)
            .ToHashSet(StringComparer.Ordinal);
        var tabs = S.Tabs.Values
            .Select(t => Entry(t, t.Connected && t.FrontEnd is not null && live.Contains(t.FrontEnd)))
            .OrderBy(t => t.Channel, StringComparer.Ordinal)
            .ThenBy(t => t.Tab, StringComparer.Ordinal)
            .ToArray();
        return new SessionView(Info(), tabs);
    }

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
        return pending.IsEmpty && recorded is null && unwrittenEpoch is null
            ? TabAttachment.Attached
            : new TabAttachment(AttachOutcome.Attached, pending, recorded, unwrittenEpoch);
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

    public Task<SendGrant> LeaseSendsAsync(int wanted)
    {
        var now = clock.GetTimestamp();
        _sendTokens = Math.Min(_options.SendBurst, _sendTokens + (clock.GetElapsedTime(_sendTokensAt, now).TotalSeconds * _options.SendsPerSecond));
        _sendTokensAt = now;
        // A send that comes back when it was told to may arrive up to SendGrant.EarlyReturn before its token is whole
        // (a client's timer fires up to a tick early): it is taken, and the bucket goes that far below empty, so the next
        // token comes that much later and the rate over time is unchanged.
        var available = _sendTokens + (SendGrant.EarlyReturn.TotalSeconds * _options.SendsPerSecond);
        var granted = (int)Math.Min(Math.Max(wanted, 1), Math.Floor(available));
        if (granted > 0)
        {
            _sendTokens -= granted;
            return Task.FromResult(new SendGrant(granted, 0));
        }

        // Until the token is whole: a client that waits this long, give or take its timer's tick, is taken.
        var retryAfter = (int)Math.Ceiling((1 - _sendTokens) / _options.SendsPerSecond * 1000);
        return Task.FromResult(new SendGrant(0, Math.Max(retryAfter, 1)));
    }

    public async Task<PushChoice?> ChooseTabAsync(string? queuePayload)
    {
        // A push is not activity of the session: it must not keep an idle session alive.
        if (!await EnsureLiveAsync())
        {
            return null;
        }

        var connected = S.Tabs.Where(t => t.Value.Connected).Select(t => t.Key).ToArray();
        var activities = await Task.WhenAll(connected.Select(ActivityAsync));
        var chosen = activities
            .Select((activity, i) => (Key: connected[i], Activity: activity))
            .Where(a => a.Activity is { Connected: true })
            .OrderByDescending(a => a.Activity!.Focused)
            .ThenByDescending(a => a.Activity!.Focused ? a.Activity.FocusedAt : a.Activity.LastActiveAt)
            .Select(a => a.Key)
            .FirstOrDefault();
        // A tab may have attached while the others were asked (attaches interleave): it is connected and the newest.
        chosen ??= S.Tabs.Where(t => t.Value.Connected && !connected.Contains(t.Key)).OrderByDescending(t => t.Value.ConnectedAt).Select(t => t.Key).FirstOrDefault();
        if (chosen is not null)
        {
            return new PushChoice(TabAddress.FromGrainKey(chosen), Queued: false);
        }

        if (queuePayload is null)
        {
            return new PushChoice(null, Queued: false);
        }

        var now = clock.GetUtcNow();
        S.Pending.RemoveAll(p => now - p.At >= tabOptions.Value.Retention);
        S.Pending.Add(new PendingPush { PayloadJson = queuePayload, At = now });
        await WriteAsync();
        return new PushChoice(null, Queued: true);
    }

    private async Task<TabActivity?> ActivityAsync(string tabKey)
    {
        try
        {
            return await GrainFactory.Get<ITabGrain>(tabKey).GetActivityAsync();
        }
        catch (Exception ex)
        {
            // A tab that cannot answer is not chosen; the others still are.
            LogActivityFailed(logger, ex, tabKey);
            return null;
        }
    }

    /// <summary>The kept pushes still within the tab retention, handed to an attaching tab (and so no longer kept here).</summary>
    private ImmutableArray<string> TakePending(DateTimeOffset now)
    {
        if (S.Pending.Count == 0)
        {
            return [];
        }

        var pending = S.Pending.Where(p => now - p.At < tabOptions.Value.Retention).Select(p => p.PayloadJson).ToImmutableArray();
        S.Pending.Clear();
        return pending;
    }

    public Task LogoutAsync() => S.User is null || S.Revoked ? Task.CompletedTask : EndAsync("logout");

    public Task EvictAsync() => S.User is null || S.Revoked ? Task.CompletedTask : EndAsync("evicted");

    public Task<bool> CheckExpiryAsync() => EnsureLiveAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!await EnsureLiveAsync())
        {
            await UnregisterExpiryReminderAsync();
        }
    }

    private async Task UnregisterExpiryReminderAsync()
    {
        try
        {
            if (await this.GetReminder(ExpiryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex)
        {
            // A reminder left behind finds the session gone on its next tick and tries again.
            LogReminderFailed(logger, ex, _id);
        }
    }

    private bool IsLive(DateTimeOffset now) =>
        S.User is not null && !S.Revoked && now < ExpiresAt();

    private DateTimeOffset ExpiresAt()
    {
        var sliding = S.LastSeenAt + _options.SlidingExpiration;
        var absolute = S.CreatedAt + _options.AbsoluteLifetime;
        return sliding < absolute ? sliding : absolute;
    }

    private SessionInfo Info() => new(S.User!, _id, ExpiresAt(), S.Name ?? S.User!, CarriedClaims());

    /// <summary>The claims the session still keeps: none once the sign-in's credentials have expired.</summary>
    private CarriedClaim[] CarriedClaims() =>
        S.Claims is { Count: > 0 } claims && (S.ClaimsExpireAt is not { } until || clock.GetUtcNow() < until) ? [.. claims] : [];

    /// <summary>True if live; a session found past its deadline is ended here, so expiry never waits for a timer.</summary>
    private async Task<bool> EnsureLiveAsync()
    {
        if (IsLive(clock.GetUtcNow()))
        {
            return true;
        }

        if (S.User is not null && !S.Revoked)
        {
            await EndAsync("expired");
        }

        return false;
    }

    /// <summary>Slides the idle deadline; written at most once per activity interval to keep writes off the hot path.</summary>
    private async Task SlideAsync()
    {
        var now = clock.GetUtcNow();
        S.LastSeenAt = now;

        // Measured from the last write, not the last touch: frequent touches must still reach storage.
        if (now - _persistedSeenAt >= _options.ActivityReportInterval)
        {
            await WriteAsync();
        }
    }

    /// <summary>
    /// Persists the state as it is now, in a group commit: attaches interleave (several tabs of a session connect at
    /// once), so while one write is in flight the changes made meanwhile wait for the next, one round trip for all of
    /// them; each caller is answered once a write holding its change is done. Every write of this grain goes through
    /// here, so the storage never sees two at once.
    /// </summary>
    private Task WriteAsync() => (_writes ??= new GroupCommit(WriteStateAsync)).WriteAsync();

    private async Task WriteStateAsync()
    {
        var seenAt = S.LastSeenAt;
        await state.WriteStateAsync();
        _persistedSeenAt = seenAt;
    }

    private async Task EndAsync(string reason)
    {
        S.Revoked = true;
        var tabs = S.Tabs.ToArray();
        S.Tabs.Clear();
        await WriteAsync();
        StopExpiryTimer();
        LogEnded(logger, _id, reason, tabs.Length);

        // Revoked durably: close the sockets now, one command list per front-end, while the tab grains are fenced. A tab
        // whose socket is not the one recorded here (it reconnected meanwhile) closes its own.
        var connected = tabs.Where(t => t.Value is { Connected: true, FrontEnd: not null, ConnectionId: not null }).ToArray();
        var closed = connected.ToDictionary(t => t.Key, t => t.Value.ConnectionId, StringComparer.Ordinal);
        await Task.WhenAll([
            CloseSocketsAsync(connected.Select(t => t.Value)),
            .. tabs.Select(t => EndTabAsync(t.Key, reason, closed.GetValueOrDefault(t.Key)))]);

        // An unknown session is refused exactly like a revoked one, so its state need not outlive the tabs' fencing.
        await state.ClearStateAsync();
        await UnregisterExpiryReminderAsync();
        DeactivateOnIdle();
    }

    /// <summary>Closes the given connected tabs' sockets with 4501: one command list per front-end, one-way.</summary>
    private async Task CloseSocketsAsync(IEnumerable<AttachedTab> tabs)
    {
        var directory = GrainFactory.GetGrain<IFrontEndDirectoryGrain>(0);
        await Task.WhenAll(tabs.GroupBy(t => t.FrontEnd!, StringComparer.Ordinal).Select(async group =>
        {
            try
            {
                if (await directory.ResolveAsync(group.Key) is { } observer)
                {
                    await observer.CloseAsync([.. group.Select(t => new CloseCommand(t.ConnectionId!, CloseReason.SessionEnded))]);
                }
            }
            catch (Exception ex)
            {
                // The tabs are fenced anyway: each one's next frame is refused with 4501.
                LogCloseFailed(logger, ex, _id, group.Key);
            }
        }));
    }

    private async Task EndTabAsync(string key, string reason, string? closedConnectionId)
    {
        try
        {
            await GrainFactory.Get<ITabGrain>(key).EndAsync(reason, closedConnectionId);
        }
        catch (Exception ex)
        {
            // The tab is fenced anyway: it checks this session when it next activates or sees a frame.
            LogTabEndFailed(logger, ex, key);
        }
    }

    /// <summary>
    /// One timer per session with tabs, due at the session's deadline: a check every few seconds would be a grain turn
    /// per session every few seconds, most of them finding nothing. When it fires early (activity slid the idle
    /// deadline meanwhile) it is set for the new deadline. <see cref="SessionOptions.ExpiryCheckInterval"/> bounds each
    /// wait, so a jump of the wall clock (deadlines are wall-clock times, timers are not) delays an expiry at most that long.
    /// </summary>
    private void EnsureExpiryTimer()
    {
        _expiryTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.OnExpiryTimerAsync(),
            this,
            new GrainTimerCreationOptions(UntilNextCheck(), Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task OnExpiryTimerAsync()
    {
        if (await EnsureLiveAsync())
        {
            _expiryTimer?.Change(UntilNextCheck(), Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan UntilNextCheck()
    {
        var remaining = ExpiresAt() - clock.GetUtcNow();
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero
            : remaining < _options.ExpiryCheckInterval ? remaining
            : _options.ExpiryCheckInterval;
    }

    private void StopExpiryTimer()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
    }
}
