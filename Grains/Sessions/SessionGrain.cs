using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Options;
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
    TimeProvider clock,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private const string ExpiryReminder = "expiry";

    private readonly SessionOptions _options = options.Value;
    private IGrainTimer? _expiryTimer;
    private string _id = "";
    private DateTimeOffset _persistedSeenAt;

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

    public async Task<SessionInfo> StartAsync(string user)
    {
        if (state.RecordExists || S.User is not null)
        {
            throw new InvalidOperationException("This session id is already in use.");
        }

        var now = clock.GetUtcNow();
        S.User = user;
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
            .Select(t => new TabEntry(t.Tab, t.Channel, t.Connected && t.FrontEnd is not null && live.Contains(t.FrontEnd), t.Connected ? t.FrontEnd : null))
            .OrderBy(t => t.Channel, StringComparer.Ordinal)
            .ThenBy(t => t.Tab, StringComparer.Ordinal)
            .ToArray();
        return new SessionView(Info(), tabs);
    }

    public async Task<TabEntry[]?> GetTabsAsync() =>
        await EnsureLiveAsync()
            ? [.. S.Tabs.Values.Select(t => new TabEntry(t.Tab, t.Channel, t.Connected, t.Connected ? t.FrontEnd : null))]
            : null;

    public async Task<AttachOutcome> AttachTabAsync(TabAddress tab, string frontEnd)
    {
        if (!await EnsureLiveAsync())
        {
            return AttachOutcome.SessionEnded;
        }

        var key = tab.ToGrainKey();
        if (!S.Tabs.ContainsKey(key) && IsNewTabOverCap(tab.Tab))
        {
            LogTooManyTabs(logger, _id, tab.Tab, _options.MaxTabsPerSession);
            return AttachOutcome.TooManyTabs;
        }

        S.Tabs[key] = new AttachedTab { Tab = tab.Tab, Channel = tab.Channel, Connected = true, FrontEnd = frontEnd };
        S.LastSeenAt = clock.GetUtcNow();
        await WriteAsync();
        EnsureExpiryTimer();
        return AttachOutcome.Attached;
    }

    /// <summary>
    /// Whether a tab id the session has not seen on this channel would exceed the cap. Only then are the distinct tab ids
    /// counted, so a reconnect (the common connect) costs a dictionary lookup.
    /// </summary>
    private bool IsNewTabOverCap(string tabId)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in S.Tabs.Values)
        {
            if (entry.Tab == tabId)
            {
                return false;
            }

            ids.Add(entry.Tab);
        }

        return ids.Count >= _options.MaxTabsPerSession;
    }

    public async Task DetachTabAsync(TabAddress tab, bool forget)
    {
        if (S.Revoked || !S.Tabs.TryGetValue(tab.ToGrainKey(), out var entry))
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

    private SessionInfo Info() => new(S.User!, _id, ExpiresAt());

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

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        _persistedSeenAt = S.LastSeenAt;
    }

    private async Task EndAsync(string reason)
    {
        S.Revoked = true;
        var tabs = S.Tabs.Keys.ToArray();
        S.Tabs.Clear();
        await state.WriteStateAsync();
        StopExpiryTimer();
        LogEnded(logger, _id, reason, tabs.Length);

        await Task.WhenAll(tabs.Select(key => EndTabAsync(key, reason)));

        // An unknown session is refused exactly like a revoked one, so its state need not outlive the tabs' fencing.
        await state.ClearStateAsync();
        await UnregisterExpiryReminderAsync();
        DeactivateOnIdle();
    }

    private async Task EndTabAsync(string key, string reason)
    {
        try
        {
            await GrainFactory.GetGrain<ITabGrain>(key).EndAsync(reason);
        }
        catch (Exception ex)
        {
            // The tab is fenced anyway: it checks this session when it next activates or sees a frame.
            LogTabEndFailed(logger, ex, key);
        }
    }

    private void EnsureExpiryTimer()
    {
        _expiryTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.CheckExpiryAsync(),
            this,
            new GrainTimerCreationOptions(_options.ExpiryCheckInterval, _options.ExpiryCheckInterval) { KeepAlive = true });
    }

    private void StopExpiryTimer()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
    }
}
