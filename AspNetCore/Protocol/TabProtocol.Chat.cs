using System.Collections.Immutable;
using System.Text.Json;
using OrleansTabs.Rooms;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>The stream frames: <c>resume</c> and <c>ack</c> on both channels; <c>join</c>, <c>leave</c>, <c>send</c>, <c>history</c> on chat.</summary>
internal sealed partial class TabProtocol
{
    private const int MaxTextLength = 4000;
    private const int DefaultHistoryLimit = 50;

    /// <summary>A presence cursor: a tab id, a colon and a user (docs/protocol.md section 7.4 bounds the user to 256).</summary>
    private const int MaxCursorLength = 64 + 1 + 256;

    /// <summary>
    /// The most streams one <c>resume</c> may name: more than any tab can follow (its own stream, up to 1,000 rooms at the
    /// highest room cap, the remembered topics); the frame size limit bounds a resume long before that.
    /// </summary>
    private const int MaxResumeStreams = 1 + 1000 + LocalConnections.MaxTopics;

    private async Task ResumeAsync(ClientFrame frame)
    {
        if (!TryReadPositions(frame, out var positions, out var error))
        {
            await RefuseFencedAsync(error!);
            _streams.ReleaseAll();
            return;
        }

        var topics = positions.Keys.Where(StreamNames.IsTopic).ToList();
        var streams = positions.RemoveRange(topics);

        // A stream whose live frames already went out past the client's position (the resume came after the resume
        // window) cannot be replayed without repeating them: it is reset instead.
        var overtaken = streams.Keys.Where(s => _streams.SentPast(s, streams[s].Offset)).ToList();
        var resumable = streams.RemoveRange(overtaken);
        _streams.Hold(resumable.Keys);
        try
        {
            var result = await AskAsync((g, id) => g.ResumeAsync(id, resumable), "resume");
            if (!Allowed(result.Verdict))
            {
                return;
            }

            var outcomes = result.Streams.ToBuilder();
            foreach (var (stream, outcome) in result.Streams)
            {
                if (outcome.ResetReason is { } reason)
                {
                    // Flow-controlled like the replay: a resume may name hundreds of streams.
                    await socket.WaitForReplayRoomAsync();
                    socket.SendReset(stream, reason);
                    if (outcome.Head.Epoch.Length == 0)
                    {
                        _streams.Forget(stream);
                    }
                    else
                    {
                        _streams.SetPosition(stream, outcome.Head);
                    }

                    continue;
                }

                _streams.SetPosition(stream, resumable[stream]);
            }

            await _streams.ReplayAsync(result.Replay);
            await ReplayRestAsync(result.Streams);

            foreach (var stream in overtaken)
            {
                await socket.WaitForReplayRoomAsync();
                socket.SendReset(stream, ResetReasons.Gap);
                outcomes[stream] = new StreamResume(0, ResetReasons.Gap, streams[stream]);
            }

            foreach (var topic in topics)
            {
                // Topics are latest-value: the snapshot after welcome is the whole state, nothing to replay.
                outcomes[topic] = new StreamResume(0, null, new StreamPosition("", 0));
            }

            socket.Send(StreamFrames.Resumed(outcomes.ToImmutable()));
            metrics.Resumed(result.Streams.Values.Sum(s => s.Replayed));
        }
        finally
        {
            // Streams a failed resume never positioned go on live from where they were.
            _streams.Unhold(resumable.Keys);
            _streams.ReleaseAll();
        }
    }

    /// <summary>
    /// Replays what the resume's answer did not carry (it holds one page in all), a page per grain call up to the head
    /// each stream had then, each frame flow-controlled into the send queue: no answer and no queue holds a deep replay
    /// whole. Frames after that head are live ones, held until the resume ends.
    /// </summary>
    private async Task ReplayRestAsync(ImmutableDictionary<string, StreamResume> outcomes)
    {
        foreach (var (stream, outcome) in outcomes)
        {
            while (outcome.ResetReason is null && _streams.LastSent(stream) is { } last && last < outcome.Head.Offset)
            {
                var page = await AskAsync((g, _) => g.ReplayAsync(stream, last), "replay");
                await _streams.ReplayAsync(page);
                if (_streams.LastSent(stream) is not { } sent || sent == last)
                {
                    // Nothing more is retained, or the socket is closing.
                    break;
                }
            }
        }
    }

    private async Task AckAsync(ClientFrame frame)
    {
        var stream = frame.RequiredString("stream", out var error);
        var offset = error is null ? frame.OptionalInteger("offset", out error) : null;
        if (error is null && offset is null)
        {
            error = new ProtocolError(ErrorCodes.MissingField, "'offset' is required.", frame.Id);
        }

        if (error is null && offset < 0)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'offset' must not be negative.", frame.Id);
        }

        if (error is not null)
        {
            await RefuseFencedAsync(error);
            return;
        }

        Allowed(await AskAsync((g, id) => g.AckAsync(id, stream!, offset!.Value), "ack"));
    }

    private Task ChatAsync(ClientFrame frame) => frame.Type switch
    {
        "join" => JoinAsync(frame),
        "leave" => LeaveAsync(frame),
        "send" => SendAsync(frame),
        "who" => WhoAsync(frame),
        "call" => CallAsync(frame),
        _ => HistoryAsync(frame),
    };

    /// <summary>The room's presence now (docs/protocol.md section 6.2); the socket gets the room's diffs from here on.</summary>
    private async Task WhoAsync(ClientFrame frame)
    {
        if (ReadRoom(frame, out var error) is not { } room)
        {
            await RefuseFencedAsync(error!);
            return;
        }

        if (ReadCursor(frame, out error) is var after && error is not null)
        {
            await RefuseFencedAsync(error);
            return;
        }

        var result = await AskAsync((g, id) => g.WhoAsync(id, room, after), "who");
        if (!Allowed(result.Verdict, frame.Id))
        {
            return;
        }

        socket.Send(PresenceFrames.State(room, result.Present, result.Next, after));
    }

    /// <summary>The optional <c>after</c> of <c>who</c>: the opaque <c>next</c> of a previous <c>presence</c> answer.</summary>
    private static string? ReadCursor(ClientFrame frame, out ProtocolError? error)
    {
        error = null;
        if (!frame.Root.TryGetProperty("after", out var after) || after.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (after.ValueKind != JsonValueKind.String || after.GetString() is not { Length: > 0 and <= MaxCursorLength } cursor)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'after' must be the 'next' of a previous presence answer.", frame.Id);
            return null;
        }

        return cursor;
    }

    private async Task JoinAsync(ClientFrame frame)
    {
        if (ReadRoom(frame, out var error) is not { } room)
        {
            await RefuseFencedAsync(error!);
            return;
        }

        // A room the socket follows (joined before, or by the server) is not asked about again.
        if (Hooks.Authorizer is { } authorizer
            && !_streams.Follows(StreamNames.Room(room))
            && await AuthorizeAsync(authorizer, room, send: false, frame.Id) is { } refusal)
        {
            await RefuseAuthorizedAsync(refusal, Task.CompletedTask);
            return;
        }

        var result = await AskAsync((g, id) => g.JoinAsync(id, room), "join");
        if (Allowed(result.Verdict, frame.Id))
        {
            _streams.SetPositionIfUnknown(StreamNames.Room(room), result.Head);
            socket.Send(StreamFrames.Membership("joined", room, result.Head));
        }
    }

    private async Task LeaveAsync(ClientFrame frame)
    {
        if (ReadRoom(frame, out var error) is not { } room)
        {
            await RefuseFencedAsync(error!);
            return;
        }

        var result = await AskAsync((g, id) => g.LeaveAsync(id, room), "leave");
        if (Allowed(result.Verdict, frame.Id))
        {
            _streams.Forget(StreamNames.Room(room));
            socket.Send(StreamFrames.Membership("left", room, result.Head));
        }
    }

    /// <summary>
    /// Starts the post and returns without waiting for it to be durable, so the next frame is read at once: several
    /// sends of one socket are in flight together (at most <see cref="SocketOptions.MaxSendsInFlight"/>) and acked in
    /// the order they were read. The authorizer, if any, is asked before the post starts, so posts still start in the
    /// order the sends were read, and its refusal is answered in the send's place among the acks.
    /// </summary>
    private async Task SendAsync(ClientFrame frame)
    {
        if (ReadSend(frame, out var error) is not { } send)
        {
            await RefuseFencedAsync(error!);
            return;
        }

        var read = _clock.GetTimestamp();
        if (Hooks.Authorizer is { } authorizer && await AuthorizeAsync(authorizer, send.Room, send: true, send.Id) is { } refusal)
        {
            await InFlightAsync(RefuseAuthorizedAsync(refusal, _lastAck));
            return;
        }

        // The span ends with the ack, not with this method: the next frame is read while the send is in flight.
        var span = FrontEndTracing.StartFrame(socket.Address.Channel, "send", socket.Address.Tab);
        span?.SetTag("orleanstabs.room", send.Room);
        var post = grain.SendAsync(socket.ConnectionId, send.Room, send.Id, send.Text);
        await InFlightAsync(AckInOrderAsync(_lastAck, post, new SendInFlight(send.Id, send.Room, read, span)));
    }

    /// <summary>
    /// Makes <paramref name="answer"/> the last of the sends in flight (the next one answers after it), and waits for
    /// the oldest to be answered while <see cref="SocketOptions.MaxSendsInFlight"/> are pending.
    /// </summary>
    private async Task InFlightAsync(Task answer)
    {
        _lastAck = answer;
        _sendsInFlight.Enqueue(answer);
        while (_sendsInFlight.TryPeek(out var oldest) && oldest.IsCompleted)
        {
            await _sendsInFlight.Dequeue();
        }

        if (_sendsInFlight.Count >= options.MaxSendsInFlight)
        {
            await _sendsInFlight.Dequeue();
        }
    }

    /// <summary>Answers one send after every send read before it was answered, and ends its span. Never throws.</summary>
    private async Task AckInOrderAsync(Task previous, Task<SendResult> post, SendInFlight send)
    {
        // One async method per send (this one): the answer itself is synchronous once both awaits are done.
        SendResult? result = null;
        Exception? failure = null;
        try
        {
            result = await post;
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        await previous;
        using var span = send.Span;
        var outcome = Answer(result, failure, send);
        span?.SetTag("orleanstabs.outcome", outcome);
    }

    /// <summary>Queues the ack or the refusal of one send; returns what it answered, for the span.</summary>
    private string Answer(SendResult? result, Exception? failure, SendInFlight send)
    {
        var (id, room) = (send.Id, send.Room);
        if (failure is not null)
        {
            LogFrameFailed(logger, failure, socket.ConnectionId);
            Fail(new ProtocolError(ErrorCodes.Internal, "The message was not stored; send it again with the same id.", id));
            send.Span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, failure.GetType().Name);
            return "failed";
        }

        if (!Allowed(result!.Verdict, id))
        {
            return result.Verdict.Close?.Name ?? result.Verdict.Error!;
        }

        // A served send always says where it landed.
        socket.Send(StreamFrames.Ack(id, StreamNames.Room(room), result.Post!.Offset));
        metrics.SendAcked(_clock.GetElapsedTime(send.Read));
        return "acked";
    }

    /// <summary>A send between reading its frame and answering it: when it was read and its span, if traced.</summary>
    private readonly record struct SendInFlight(string Id, string Room, long Read, System.Diagnostics.Activity? Span);

    private static (string Id, string Room, string Text)? ReadSend(ClientFrame frame, out ProtocolError? error)
    {
        var id = frame.RequiredString("id", out error);
        if (error is null && !Identifiers.IsClientMessageId(id))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'id' must be 1-64 characters.", frame.Id);
        }

        var room = error is null ? ReadRoom(frame, out error) : null;
        var text = error is null ? frame.RequiredString("text", out error) : null;
        if (error is null && text!.Length == 0)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'text' must not be empty.", id);
        }

        if (error is null && text!.Length > MaxTextLength)
        {
            error = new ProtocolError(ErrorCodes.TooLarge, $"'text' is longer than {MaxTextLength} characters.", id);
        }

        return error is null ? (id!, room!, text!) : null;
    }

    private async Task HistoryAsync(ClientFrame frame)
    {
        var room = ReadRoom(frame, out var error);
        var before = error is null ? frame.OptionalInteger("before", out error) : null;
        var limit = error is null ? frame.OptionalInteger("limit", out error) : null;
        if (error is null && (before < 1 || limit < 1))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'before' and 'limit' must be positive.", frame.Id);
        }

        if (error is not null)
        {
            await RefuseFencedAsync(error);
            return;
        }

        var count = (int)Math.Min(limit ?? DefaultHistoryLimit, RoomHistory.MaxLimit);
        var result = await AskAsync((g, id) => g.HistoryAsync(id, room!, before, count), "history");
        if (!Allowed(result.Verdict, frame.Id))
        {
            return;
        }

        socket.Send(StreamFrames.History(room!, result.Messages, result.Truncated));
    }

    private static string? ReadRoom(ClientFrame frame, out ProtocolError? error)
    {
        var room = frame.RequiredString("room", out error);
        if (error is null && !Identifiers.IsRoom(room))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'room' must be 1-64 characters of [A-Za-z0-9_.-].", frame.Id);
        }

        return error is null ? room : null;
    }

    private static bool TryReadPositions(ClientFrame frame, out ImmutableDictionary<string, StreamPosition> positions, out ProtocolError? error)
    {
        positions = ImmutableDictionary<string, StreamPosition>.Empty;
        error = null;
        if (!frame.Root.TryGetProperty("streams", out var streams))
        {
            error = new ProtocolError(ErrorCodes.MissingField, "'streams' is required.", frame.Id);
            return false;
        }

        if (streams.ValueKind != JsonValueKind.Object)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'streams' must be an object of {stream: {epoch, offset}}.", frame.Id);
            return false;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, StreamPosition>(StringComparer.Ordinal);
        foreach (var stream in streams.EnumerateObject())
        {
            if (builder.Count >= MaxResumeStreams || stream.Name.Length is 0 or > 80)
            {
                error = new ProtocolError(ErrorCodes.InvalidField, $"'streams' names at most {MaxResumeStreams} streams of up to 80 characters.", frame.Id);
                return false;
            }

            var value = stream.Value;
            if (value.ValueKind != JsonValueKind.Object
                || !value.TryGetProperty("epoch", out var epoch) || epoch.ValueKind != JsonValueKind.String || epoch.GetString() is not { Length: > 0 } epochText
                || !value.TryGetProperty("offset", out var offset) || !ClientFrame.IsInteger(offset, out var offsetValue) || offsetValue < 0)
            {
                error = new ProtocolError(ErrorCodes.InvalidField, $"'streams.{stream.Name}' must be {{\"epoch\": non-empty string, \"offset\": integer >= 0}}.", frame.Id);
                return false;
            }

            builder[stream.Name] = new StreamPosition(epochText, offsetValue);
        }

        positions = builder.ToImmutable();
        return true;
    }
}
