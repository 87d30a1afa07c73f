using System.Text.Json;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;
using OrleansTabs.Topics;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// The per-socket protocol: fencing of every client frame through the tab grain, the resume-first rule, the error
/// storm and rate limits, and dispatch by channel. Never throws: a failed frame gets an <c>error</c> frame.
/// </summary>
internal sealed partial class TabProtocol(
    TabSocket socket,
    ITabGrain grain,
    IGrainFactory grains,
    LocalConnections connections,
    SocketOptions options,
    FrontEndMetrics metrics,
    TimeProvider clock,
    ILogger logger)
{
    // docs/protocol.md section 9: a socket that keeps flooding is closed with 4029 and retryAfterMs 1000.
    private static readonly CloseReason FloodClose = CloseReason.RateLimited.RetryAfter(1000);

    private readonly Queue<long> _errors = new();
    private readonly Lock _errorGate = new();
    private readonly Queue<Task> _sendsInFlight = new();
    private Task _lastAck = Task.CompletedTask;
    private readonly TimeProvider _clock = clock;
    private bool _welcomed;
    private bool _firstFrameSeen;
    private double _tokens = options.FrameBurst;
    private long _lastRefill = clock.GetTimestamp();
    private int _rateRefusals;

    private readonly StreamCursors _streams = socket.Streams = new StreamCursors(
        socket,
        (stream, after) => grain.ReplayAsync(stream, after),
        options.SendQueueCapacity,
        options.CallAttemptTimeout,
        options.CommandTimeout,
        clock,
        logger);

    private bool IsChat => socket.Address.Channel == Channels.Chat;

    /// <summary>Runs right after <c>welcome</c> was queued: a dashboard gets the latest value of every topic.</summary>
    public async Task StartAsync(ConnectResult result)
    {
        _welcomed = true;
        foreach (var (stream, head) in result.Streams)
        {
            _streams.SetInitial(stream, head);
        }

        ReleaseAfterResumeWindowAsync().Ignore();
        if (IsChat)
        {
            return;
        }

        var topics = connections.Topics.ToDictionary(t => t.Topic, StringComparer.Ordinal);
        if (!topics.ContainsKey(StreamNames.ClusterTopic) && await grains.GetClusterTopic().GetAsync() is { } cluster)
        {
            connections.SetTopic(cluster);
            topics[cluster.Topic] = cluster;
        }

        SendSnapshotsAsync([.. topics.Keys.OrderBy(t => t == StreamNames.ClusterTopic ? 0 : 1)]).Ignore();
    }

    /// <summary>
    /// The latest value of each topic, flow-controlled like a replay (there may be more topics than the send queue holds
    /// frames), so it runs beside the socket's loops: the snapshots that fit are queued before this returns, the rest as
    /// the client reads. Each value is read when it is sent, so none is older than a live update sent before it.
    /// </summary>
    private async Task SendSnapshotsAsync(List<string> topics)
    {
        foreach (var topic in topics)
        {
            if (!await socket.WaitForReplayRoomAsync())
            {
                return;
            }

            if (connections.Topic(topic) is { } snapshot)
            {
                socket.Send(ServerFrames.Snapshot(snapshot));
            }
        }
    }

    /// <summary>
    /// Handles one complete text frame from the client. A valid command is one grain call that fences the socket
    /// itself; a frame that is refused here is fenced first (a <c>ping</c> too), so an ended session is closed with
    /// 4501 whatever the frame. A <c>send</c> does not hold up the next frame (see <see cref="SendAsync"/>), nor does a
    /// <c>call</c> (see <see cref="CallAsync"/>).
    /// </summary>
    public async ValueTask OnTextAsync(ReadOnlyMemory<byte> utf8)
    {
        string? reference = null;
        var first = _welcomed && !_firstFrameSeen;
        _firstFrameSeen = true;
        if (!TakeToken(utf8))
        {
            return;
        }

        try
        {
            using var frame = ClientFrame.TryParse(utf8, out var parseError);
            if (frame is null)
            {
                await RefuseFencedAsync(parseError!);
                return;
            }

            reference = frame.Id;
            await DispatchAsync(frame, first);
        }
        catch (Exception ex)
        {
            LogFrameFailed(logger, ex, socket.ConnectionId);
            Fail(new ProtocolError(ErrorCodes.Internal, "The server could not process the frame; it may be retried.", reference));
        }
    }

    private async Task DispatchAsync(ClientFrame frame, bool first)
    {
        // A send's span is started by SendAsync and ends with its ack; a call's ends with its answer.
        using var span = frame.Type is "send" or "call" ? null : FrontEndTracing.StartFrame(socket.Address.Channel, frame.Type, socket.Address.Tab);
        if (!(first && frame.Type == "resume"))
        {
            _streams.ReleaseAll();
        }

        switch (frame.Type)
        {
            case "ping":
                if (Allowed(await AskAsync(static (g, id) => g.TouchAsync(id), "ping")))
                {
                    socket.Send(ServerFrames.Pong);
                }

                return;
            case "resume":
                if (!first)
                {
                    await RefuseFencedAsync(new ProtocolError(ErrorCodes.NotAllowed, "'resume' is allowed only as the first frame after 'welcome'.", frame.Id));
                    return;
                }

                await ResumeAsync(frame);
                return;
            case "ack":
                await AckAsync(frame);
                return;
            case "state":
                await StateAsync(frame);
                return;
            case "join" or "leave" or "send" or "history" or "who" or "call":
                if (!IsChat)
                {
                    await RefuseFencedAsync(new ProtocolError(ErrorCodes.NotAllowed, "The dashboard channel is server-push only.", frame.Id));
                    return;
                }

                await ChatAsync(frame);
                return;
            default:
                await RefuseFencedAsync(new ProtocolError(ErrorCodes.UnknownType, $"Unknown frame type '{Truncate(frame.Type)}'.", frame.Id));
                return;
        }
    }

    /// <summary>The page's visibility and focus (docs/protocol.md section 6.1), on both channels; no reply.</summary>
    private async Task StateAsync(ClientFrame frame)
    {
        var visibility = frame.RequiredString("visibility", out var error);
        if (error is null && visibility is not ("visible" or "hidden"))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'visibility' must be \"visible\" or \"hidden\".", frame.Id);
        }

        var focused = error is null ? frame.RequiredBoolean("focused", out error) : null;
        if (error is not null)
        {
            await RefuseFencedAsync(error);
            return;
        }

        var visible = visibility == "visible";
        Allowed(await AskAsync((g, id) => g.ReportStateAsync(id, visible, focused!.Value), "state"));
    }

    /// <summary>
    /// A command's call to the tab grain, made again if an attempt gets no answer (<see cref="GrainRetry"/>): only for
    /// commands that are safe to repeat, never for <c>send</c>.
    /// </summary>
    private Task<T> AskAsync<T>(Func<ITabGrain, string, Task<T>> call, string command) =>
        RetryAsync((grain, socket.ConnectionId, call), static s => s.call(s.grain, s.ConnectionId), command);

    /// <summary>A grain call of this socket that is safe to repeat, under the front-end's attempt timeout and <see cref="SocketOptions.CommandTimeout"/>.</summary>
    private Task<T> RetryAsync<TState, T>(TState state, Func<TState, Task<T>> call, string what) =>
        GrainRetry.CallAsync(state, call, options.CallAttemptTimeout, options.CommandTimeout, _clock, logger, socket.ConnectionId, what);

    /// <summary>
    /// Writes the tab grain's verdict on a frame as it stands: true if the frame was served; else false, and the socket is
    /// closing with the verdict's close, or the frame (<paramref name="reference"/>) got the verdict's <c>error</c>.
    /// </summary>
    private bool Allowed(FrameVerdict verdict, string? reference = null)
    {
        if (verdict.Close is { } close)
        {
            socket.Close(close);
            return false;
        }

        if (verdict.Error is not { } code)
        {
            return true;
        }

        var error = new ProtocolError(code, verdict.Message ?? "", reference);
        if (verdict.RetryAfterMs is { } retryAfterMs)
        {
            // The session's limit, not this socket's conduct: not counted towards the error storm; the socket stays open.
            socket.Send(ServerFrames.Error(error.Code, error.Message, reference, retryAfterMs));
        }
        else
        {
            Refuse(error);
        }

        return false;
    }

    /// <summary>Refuses a frame that carries no command, after fencing it: an ended session's frame closes with 4501 instead.</summary>
    private async Task RefuseFencedAsync(ProtocolError error)
    {
        if (Allowed(await AskAsync(static (g, id) => g.TouchAsync(id), "fence")))
        {
            Refuse(error);
        }
    }

    /// <summary>
    /// Sends an <c>error</c> frame for the server's own failure (<c>internal</c>). Not a refusal of the client's frame,
    /// so it never counts towards the error storm: a client that resends after a failover, as it should, is not abusive.
    /// </summary>
    private void Fail(ProtocolError error) => socket.Send(error.ToFrame());

    /// <summary>Sends an <c>error</c> frame refusing the client's frame; too many within the error window close the socket with 1008.</summary>
    private void Refuse(ProtocolError error)
    {
        socket.Send(error.ToFrame());
        bool storm;
        lock (_errorGate)
        {
            // Locked: refusals of pipelined sends come from their completions, beside the receive loop.
            var now = _clock.GetTimestamp();
            _errors.Enqueue(now);
            while (_errors.Count > 0 && _clock.GetElapsedTime(_errors.Peek(), now) > options.ErrorWindow)
            {
                _errors.Dequeue();
            }

            storm = _errors.Count > options.ErrorLimit;
        }

        if (storm)
        {
            socket.Close(CloseReason.ErrorStorm);
        }
    }

    /// <summary>Token bucket: frames over the rate get <c>rate_limited</c>; a client that keeps flooding is closed with 4029.</summary>
    private bool TakeToken(ReadOnlyMemory<byte> utf8)
    {
        var now = _clock.GetTimestamp();
        _tokens = Math.Min(options.FrameBurst, _tokens + (_clock.GetElapsedTime(_lastRefill, now).TotalSeconds * options.FramesPerSecond));
        _lastRefill = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            _rateRefusals = 0;
            return true;
        }

        if (++_rateRefusals > options.FrameBurst)
        {
            socket.Close(FloodClose);
        }
        else
        {
            // The refusal names the frame it drops, so a request that waits for its answer (a call, a join) gets one.
            socket.Send(new ProtocolError(ErrorCodes.RateLimited, $"More than {options.FramesPerSecond} frames per second.", PeekId(utf8.Span)).ToFrame());
        }

        return false;
    }

    /// <summary>The string <c>id</c> at the top level of a frame, read without building the document; null if there is none.</summary>
    private static string? PeekId(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String && reader.GetString() is { } id && Identifiers.IsClientMessageId(id) && !Grains.Json.JsonText.HasLoneSurrogate(id) ? id : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate in the id: no usable reference.
        }

        return null;
    }

    private async Task ReleaseAfterResumeWindowAsync()
    {
        await Task.Delay(options.ResumeWindow, _clock);
        _streams.ReleaseAll();
    }

    /// <summary>The first 32 characters; one fewer where the 32nd is half of a pair, which no frame could carry.</summary>
    private static string Truncate(string value) =>
        value.Length <= 32 ? value : value[..(char.IsHighSurrogate(value[31]) ? 31 : 32)] + "…";
}
