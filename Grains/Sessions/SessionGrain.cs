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
[GrainType("session")]
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
        var live = (await GrainFactory.GetFrontEndDirectory().GetLiveAsync())
            .Select(l => l.FrontEnd)
            .ToHashSet(StringComparer.Ordinal);
        var tabs = S.Tabs.Values
            .Select(t => Entry(t, t.Connected && t.FrontEnd is not null && live.Contains(t.FrontEnd)))
            .OrderBy(t => t.Channel, StringComparer.Ordinal)
            .ThenBy(t => t.Tab, StringComparer.Ordinal)
            .ToArray();
        return new SessionView(Info(), tabs);
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

        // Counted from the last write, not the last touch: frequent touches must still reach storage.
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
}
