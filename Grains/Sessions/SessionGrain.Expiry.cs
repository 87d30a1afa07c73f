using Microsoft.Extensions.Logging;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Options;
using OrleansTabs.Tabs;
using OrleansTabs.Users;

namespace OrleansTabs.Grains.Sessions;

/// <summary>The session's end: logout, eviction and expiry (a timer while tabs are attached, a reminder as the durable backstop), and the close of every tab with 4501.</summary>
public sealed partial class SessionGrain
{
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
        var user = S.User;
        await state.ClearStateAsync();
        if (user is not null)
        {
            await GrainFactory.Get<IUserGrain>(user).SessionEndedAsync(_id);
        }

        await UnregisterExpiryReminderAsync();
        DeactivateOnIdle();
    }

    /// <summary>Closes the given connected tabs' sockets with 4501: one command list per front-end, one-way.</summary>
    private async Task CloseSocketsAsync(IEnumerable<AttachedTab> tabs)
    {
        var directory = GrainFactory.GetFrontEndDirectory();
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
