using OrleansTabs.FrontEnds;
using OrleansTabs.Sessions;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// The tab's connection: a connect attaches it to its session (which records it), a disconnect or a lost front-end
/// detaches it, a socket that outlived its front-end's lease takes it back, and a tab left without a socket for its
/// retention window is forgotten.
/// </summary>
public sealed partial class TabGrain
{
    public async Task<ConnectResult> ConnectAsync(ConnectRequest request)
    {
        if (_ended)
        {
            return ConnectResult.Refused(ConnectOutcome.SessionEnded);
        }

        // The session records the connection (and decides takeover or duplicate against the one it recorded): the tab's
        // own state is written only when the connect changes it (pushes kept for the next tab).
        var connection = request.Connection;
        var binding = new TabBinding(
            connection.FrontEnd, connection.ConnectionId, request.InstanceId, state.RecordExists ? null : S.Epoch, RecordedMayBeLive(clock.GetUtcNow()));
        var attachment = await Session.AttachTabAsync(_address, binding);
        switch (attachment.Outcome)
        {
            case AttachOutcome.TooManyTabs when !_ended:
                if (!state.RecordExists)
                {
                    // Activated only for this refused connect: hold nothing for it.
                    DeactivateOnIdle();
                }

                return ConnectResult.Refused(ConnectOutcome.TooManyTabs);
            case AttachOutcome.Duplicate when !_ended:
                return ConnectResult.Refused(ConnectOutcome.Duplicate);
            case not AttachOutcome.Attached:
                _ended = true;
                return ConnectResult.Refused(ConnectOutcome.SessionEnded);
        }

        return _ended ? ConnectResult.Refused(ConnectOutcome.SessionEnded) : await AcceptAsync(request, attachment);
    }

    /// <summary>The session attached the connection: it becomes the tab's, and the socket is welcomed with its streams' heads.</summary>
    private async Task<ConnectResult> AcceptAsync(ConnectRequest request, TabAttachment attachment)
    {
        _sessionVerified = true;
        if (!state.RecordExists && attachment.UnwrittenEpoch is { } epoch)
        {
            S.Epoch = epoch;
        }

        if (attachment.Superseded is { } old)
        {
            await CloseConnectionAsync(old.FrontEnd, old.ConnectionId, CloseReason.Superseded);
            await FrontEndTabs(old.FrontEnd).RemoveAsync(_key);
        }

        var connection = request.Connection;
        var now = clock.GetUtcNow();
        S.Instance = request.InstanceId;
        S.User = request.User;
        S.Name = request.Name == request.User ? null : request.Name;
        S.FrontEnd = connection.FrontEnd;
        S.ConnectionId = connection.ConnectionId;
        _observer = connection.Observer;
        _heartbeat = request.Heartbeat;
        _lastSeen = now;
        _lastActivityReport = now;
        (_visible, _focused) = (true, false);

        // The welcome starts the tab stream before the pushes kept for this tab: they arrive as live frames after it.
        var tabHead = new StreamPosition(S.Epoch, S.Offset);
        var pending = AppendPending(attachment.Pending);
        var leftByServer = TakeServerRooms(attachment.ServerRooms, out var roomsChanged);
        StopRetentionTimer();
        if (!pending.IsEmpty || roomsChanged)
        {
            await state.WriteStateAsync();
        }

        if (leftByServer is not null)
        {
            await Task.WhenAll(leftByServer.Select(r => Room(r).LeaveAsync(_key)));
        }

        await FrontEndTabs(connection.FrontEnd).AddAsync(_key);
        var heads = await HeadsAsync(tabHead);
        if (!pending.IsEmpty)
        {
            _observer.DeliverAsync(pending, [connection.ConnectionId]).Ignore();
        }

        // The session may have ended while this connect was waiting (EndAsync interleaves): never welcome such a socket.
        return _ended
            ? ConnectResult.Refused(ConnectOutcome.SessionEnded)
            : new ConnectResult(ConnectOutcome.Accepted, heads, [.. S.Rooms]);
    }

    /// <summary>
    /// Whether the connection the session records for this tab may still be live, so that a page with another instance
    /// id is refused as a duplicate: the tab saw it within a heartbeat; or the tab was reactivated less than a heartbeat
    /// ago and has not heard from its session yet (the socket may still be open on its front-end).
    /// </summary>
    private bool RecordedMayBeLive(DateTimeOffset now) =>
        (!_sessionVerified || S.ConnectionId is not null) && now - _lastSeen <= _heartbeat;

    // Its own method, so the closure is allocated only on this path, not on every frame's fence.
    private Task<FrameVerdict> JoinReattach((string ConnectionId, string FrontEnd) lapsed) =>
        InFlight.Join(ref _reattaching, () => ReattachAsync(lapsed.ConnectionId, lapsed.FrontEnd));

    /// <summary>
    /// Re-attaches a socket whose front-end's lease lapsed while the socket stayed open (the front-end stalled: a long
    /// GC pause, a frozen VM): the tab takes the connection back, re-joins its rooms at it, and nudges each room's
    /// stream with its newest message so the socket repairs whatever it missed meanwhile. Only if the front-end is
    /// live again and no other connection took the tab meanwhile.
    /// </summary>
    private async Task<FrameVerdict> ReattachAsync(string connectionId, string frontEnd)
    {
        var observer = await GrainFactory.GetFrontEndDirectory().ResolveAsync(frontEnd);
        if (observer is null)
        {
            return FrameVerdict.Detached;
        }

        if (_ended || S.ConnectionId is not null || _lapsed?.ConnectionId != connectionId)
        {
            return Fence(connectionId);
        }

        var binding = new TabBinding(frontEnd, connectionId, S.Instance ?? "", state.RecordExists ? null : S.Epoch, RecordedMayBeLive: false, Reclaim: true);
        var attachment = await Session.AttachTabAsync(_address, binding);
        switch (attachment.Outcome)
        {
            case AttachOutcome.SessionEnded:
                return FrameVerdict.SessionEnded;
            case AttachOutcome.TooManyTabs:
                // The session forgot the tab meanwhile and it no longer fits: detached (4000), and the reconnect gets 429.
                return FrameVerdict.Detached;
            case AttachOutcome.Duplicate:
                // Another socket of the tab was attached meanwhile: this one is superseded.
                return Fence(connectionId);
        }

        if (_ended || S.ConnectionId is not null || _lapsed?.ConnectionId != connectionId)
        {
            return Fence(connectionId);
        }

        S.ConnectionId = connectionId;
        S.FrontEnd = frontEnd;
        _observer = observer;
        _lapsed = null;
        var pending = AppendPending(attachment.Pending);
        StopRetentionTimer();
        if (!pending.IsEmpty)
        {
            await state.WriteStateAsync();
        }

        FrontEndTabs(frontEnd).AddAsync(_key).Ignore();
        if (!pending.IsEmpty)
        {
            observer!.DeliverAsync(pending, [connectionId]).Ignore();
        }

        await NudgeRoomsAsync(observer!, connectionId, await HeadsAsync());
        LogReattached(logger, _key, frontEnd);
        return Fence(connectionId);
    }

    public async Task FrontEndLostAsync(string frontEnd)
    {
        await EnsureBoundAsync();
        if (S.FrontEnd == frontEnd && S.ConnectionId is { } connection)
        {
            await DisconnectAsync(connection, clean: false, TabClose.Lost(clock.GetUtcNow()));

            // The front-end may only have stalled past its lease: if its socket speaks again, it is re-attached.
            _lapsed = (connection, frontEnd);
        }
    }

    public async Task DisconnectAsync(string connectionId, bool clean, TabClose close)
    {
        await EnsureBoundAsync();
        if (S.ConnectionId != connectionId)
        {
            return;
        }

        // Not written here: the session's record (detached below) is where the tab's connection is kept.
        var frontEnd = S.FrontEnd;
        S.ConnectionId = null;
        S.FrontEnd = null;
        _observer = null;
        if (frontEnd is not null)
        {
            await FrontEndTabs(frontEnd).RemoveAsync(_key);
        }

        if (!_ended)
        {
            await DetachRoomsAsync(connectionId);
            await Session.DetachTabAsync(_address, connectionId, forget: false, close, released: clean);
            StartRetentionTimer();
        }
    }

    private void StartRetentionTimer()
    {
        _retentionTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.ExpireAsync(),
            this,
            new GrainTimerCreationOptions(tabOptions.Value.Retention, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private void StopRetentionTimer()
    {
        _retentionTimer?.Dispose();
        _retentionTimer = null;
    }

    /// <summary>The retention window passed with no socket: forget the tab.</summary>
    private async Task ExpireAsync()
    {
        _retentionTimer?.Dispose();
        _retentionTimer = null;
        try
        {
            await EnsureBoundAsync();
            if (S.ConnectionId is not null)
            {
                return;
            }

            if (!_ended)
            {
                await Session.DetachTabAsync(_address, connectionId: null, forget: true, TabClose.Lost(clock.GetUtcNow()), released: true);
            }

            await LeaveAllRoomsAsync();
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            // Storage or a room was unavailable: try again after another retention period rather than never.
            LogExpireFailed(logger, ex, _key);
            StartRetentionTimer();
        }
    }
}
