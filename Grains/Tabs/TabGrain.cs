using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Streams;
using OrleansTabs.Presence;
using OrleansTabs.Sessions;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// One tab on one channel of one session. Liveness is the time of the last frame its socket sent, recorded by
/// <see cref="TouchAsync"/>; a connection silent for longer than its heartbeat is stale and may be replaced. The grain
/// never waits on a front-end: closes go out through the front-end's one-way observer. Its connection is kept durably
/// by its session, not in its own state (a connect or a disconnect writes one record, the session's): an activation
/// recalls it from the session before it acts on it (<see cref="EnsureBoundAsync"/>).
/// </summary>
[GrainType("tab")]
public sealed partial class TabGrain(
    [PersistentState("tab", GrainServiceCollectionExtensions.StorageName)] IPersistentState<TabState> state,
    IOptions<SessionOptions> sessionOptions,
    IOptions<TabOptions> tabOptions,
    IOptions<RoomOptions> roomOptions,
    TimeProvider clock,
    ILogger<TabGrain> logger) : Grain, ITabGrain
{
    private TabAddress _address = null!;
    private string _key = "";
    private IFrontEndObserver? _observer;
    private TimeSpan _heartbeat;
    private DateTimeOffset _lastSeen;
    private DateTimeOffset _lastActivityReport;
    private bool _sessionVerified;
    private Task? _verifying;
    private (string ConnectionId, string FrontEnd)? _lapsed;
    private Task<FrameVerdict>? _reattaching;
    private SendAllowance? _sendBudget;
    private bool _ended;
    private IGrainTimer? _retentionTimer;
    private bool _visible = true;
    private bool _focused;
    private DateTimeOffset _focusedAt;

    private TabState S => state.State;

    private ISessionGrain Session => GrainFactory.Get<ISessionGrain>(_address.Session);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        _address = TabAddress.FromGrainKey(_key);
        if (string.IsNullOrEmpty(S.Epoch))
        {
            S.Epoch = StreamLog.NewEpoch();
        }

        // After a silo loss the socket may still be open on its front-end: give it one heartbeat to show itself.
        _lastSeen = clock.GetUtcNow();
        _heartbeat = TimeSpan.FromSeconds(15);

        // Whether the tab is connected is its session's to say (recalled on first use); the retention timer recalls too.
        if (state.RecordExists)
        {
            StartRetentionTimer();
        }

        return Task.CompletedTask;
    }

    public Task<FrameVerdict> TouchAsync(string connectionId) => FenceAsync(connectionId).AsTask();

    public async Task<FrameVerdict> ReportStateAsync(string connectionId, bool visible, bool focused)
    {
        if (await FenceAsync(connectionId) is { IsOk: false } verdict)
        {
            return verdict;
        }

        if (focused && !_focused)
        {
            _focusedAt = clock.GetUtcNow();
        }

        if ((_visible, _focused) != (visible, focused))
        {
            (_visible, _focused) = (visible, focused);

            // Answered once every room's presence shows the new state (state frames are rare: page events).
            await Task.WhenAll(S.Rooms.Select(room => Room(room).UpdatePresenceAsync(_key, Presence())));
        }

        return FrameVerdict.Ok;
    }

    public async Task<TabPresence?> GetPresenceAsync()
    {
        await EnsureBoundAsync();
        return S.ConnectionId is not null && !_ended ? Presence() : null;
    }

    public async Task<TabActivity> GetActivityAsync()
    {
        await EnsureBoundAsync();
        return new TabActivity(S.ConnectionId is not null && !_ended, _visible, _focused, _focusedAt, _lastSeen);
    }

    /// <summary>
    /// A fresh activation recalls its connection from its session before anything acts on it (the tab's own state does
    /// not hold it); every caller arriving meanwhile waits for that same answer. Synchronous once the tab is bound.
    /// </summary>
    private Task EnsureBoundAsync() =>
        _ended || _sessionVerified ? Task.CompletedTask : InFlight.Join(ref _verifying, VerifySessionAsync);

    /// <summary>
    /// The fence every client frame passes: whether the socket is still the tab's connection of a live session. Also
    /// records liveness and, now and then, session activity. Completes synchronously except for the first frame after
    /// a reactivation, which asks the session once (every frame arriving meanwhile waits for that same answer, in order).
    /// </summary>
    private ValueTask<FrameVerdict> FenceAsync(string connectionId)
    {
        if (!_ended && !_sessionVerified)
        {
            return new ValueTask<FrameVerdict>(VerifyThenFenceAsync(connectionId));
        }

        if (!_ended && S.ConnectionId is null && _lapsed is { } lapsed && lapsed.ConnectionId == connectionId)
        {
            // The socket outlived its front-end's lease (a stall, not a crash): take it back rather than end it.
            return new ValueTask<FrameVerdict>(JoinReattach(lapsed));
        }

        return new ValueTask<FrameVerdict>(Fence(connectionId));
    }

    private async Task<FrameVerdict> VerifyThenFenceAsync(string connectionId)
    {
        // Reactivated (e.g. after a silo loss): the session may have ended while nobody could tell this tab.
        await EnsureBoundAsync();
        return Fence(connectionId);
    }

    /// <summary>Takes the tab's connection as its session records it, or ends the tab if the session ended meanwhile.</summary>
    private async Task VerifySessionAsync()
    {
        var recall = await Session.RecallTabAsync(_address);
        if (!recall.Live)
        {
            await EndAsync("revoked", closedConnectionId: null);
            return;
        }

        if (_sessionVerified || _ended)
        {
            // A connect bound the tab while the session answered: its connection is the newer.
            return;
        }

        _sessionVerified = true;
        _lastActivityReport = clock.GetUtcNow();
        S.ConnectionId = recall.Connection?.ConnectionId;
        S.FrontEnd = recall.Connection?.FrontEnd;
        S.Instance = recall.Instance ?? S.Instance;
        S.User ??= recall.User;
        S.Name ??= recall.Name == recall.User ? null : recall.Name;
        _observer = null;
        if (!state.RecordExists && recall.UnwrittenEpoch is { } epoch)
        {
            S.Epoch = epoch;
        }

        if (S.ConnectionId is not null)
        {
            StopRetentionTimer();
        }
    }

    private FrameVerdict Fence(string connectionId)
    {
        if (_ended)
        {
            return FrameVerdict.SessionEnded;
        }

        if (S.ConnectionId != connectionId)
        {
            // Superseded only if another connection holds the tab; a socket the tab lost track of may come back.
            return S.ConnectionId is null ? FrameVerdict.Detached : FrameVerdict.Superseded;
        }

        var now = clock.GetUtcNow();
        if (now - _lastActivityReport >= sessionOptions.Value.ActivityReportInterval)
        {
            // One-way: the frame does not wait for the session's sliding expiry to move.
            _lastActivityReport = now;
            Session.TouchAsync().Ignore();
        }

        _lastSeen = now;
        return FrameVerdict.Ok;
    }

    public async Task EndAsync(string reason, string? closedConnectionId)
    {
        if (_ended)
        {
            return;
        }

        // This call interleaves with whatever the tab is doing: only fence and close here; storage and rooms are
        // cleaned up in a turn of their own, so no write of an interrupted call can race them.
        _ended = true;
        StopRetentionTimer();
        if (S.ConnectionId is { } connection && connection != closedConnectionId && S.FrontEnd is { } frontEnd)
        {
            await CloseConnectionAsync(frontEnd, connection, CloseReason.SessionEnded);
        }

        LogEnded(logger, _key, reason);
        this.RegisterGrainTimer(
            static (grain, _) => grain.ForgetAsync(),
            this,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    /// <summary>The tab ended: its memberships and state go with it.</summary>
    private async Task ForgetAsync()
    {
        await LeaveAllRoomsAsync();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private IFrontEndTabsGrain FrontEndTabs(string frontEnd) => GrainFactory.Get<IFrontEndTabsGrain>(frontEnd);

    private async Task CloseConnectionAsync(string frontEnd, string connectionId, CloseReason close)
    {
        var observer = frontEnd == S.FrontEnd ? _observer : null;
        observer ??= await GrainFactory.GetFrontEndDirectory().ResolveAsync(frontEnd);
        if (observer is null)
        {
            // The front-end is gone, and with it the socket.
            return;
        }

        await observer.CloseAsync([new CloseCommand(connectionId, close)]);
    }

    /// <summary>The tab is gone for good: its memberships end with it.</summary>
    private async Task LeaveAllRoomsAsync()
    {
        await Task.WhenAll(S.Rooms.Select(r => Room(r).LeaveAsync(_key)));
        S.Rooms.Clear();
    }
}
