using System.Collections.Immutable;
using System.Text.Json;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;
using OrleansTabs.Web.Protocol;

namespace OrleansTabs.Web.Sockets;

/// <summary>The stream frames: <c>resume</c> and <c>ack</c> on both channels; <c>join</c>, <c>leave</c>, <c>send</c>, <c>history</c> on chat.</summary>
public sealed partial class TabProtocol
{
    private const int MaxTextLength = 4000;
    private const int DefaultHistoryLimit = 50;
    private const int MaxHistoryLimit = 200;

    private async Task ResumeAsync(ClientFrame frame)
    {
        if (!TryReadPositions(frame, out var positions, out var error))
        {
            Refuse(error!);
            _streams.ReleaseAll();
            return;
        }

        var topics = positions.Keys.Where(s => s.StartsWith("topic:", StringComparison.Ordinal)).ToList();
        var streams = positions.RemoveRange(topics);

        // A stream whose live frames already went out past the client's position (the resume came after the resume
        // window) cannot be replayed without repeating them: it is reset instead.
        var overtaken = streams.Keys.Where(s => _streams.SentPast(s, streams[s].Offset)).ToList();
        var resumable = streams.RemoveRange(overtaken);
        _streams.Hold(resumable.Keys);
        try
        {
            var result = await grain.ResumeAsync(socket.ConnectionId, resumable);
            var outcomes = result.Streams.ToBuilder();
            foreach (var (stream, outcome) in result.Streams)
            {
                if (outcome.ResetReason is { } reason)
                {
                    socket.Send(StreamFrames.Reset(stream, reason));
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

            foreach (var message in result.Replay)
            {
                _streams.Replay(message);
            }

            foreach (var stream in overtaken)
            {
                socket.Send(StreamFrames.Reset(stream, "gap"));
                outcomes[stream] = new StreamResume(0, "gap", streams[stream]);
            }

            foreach (var topic in topics)
            {
                // Topics are latest-value: the snapshot after welcome is the whole state, nothing to replay.
                outcomes[topic] = new StreamResume(0, null, new StreamPosition("", 0));
            }

            socket.Send(StreamFrames.Resumed(outcomes.ToImmutable()));
        }
        finally
        {
            // Streams a failed resume never positioned go on live from where they were.
            _streams.Unhold(resumable.Keys);
            _streams.ReleaseAll();
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
            Refuse(error);
            return;
        }

        await grain.AckAsync(stream!, offset!.Value);
    }

    private Task ChatAsync(ClientFrame frame) => frame.Type switch
    {
        "join" => JoinAsync(frame),
        "leave" => LeaveAsync(frame),
        "send" => SendAsync(frame),
        _ => HistoryAsync(frame),
    };

    private async Task JoinAsync(ClientFrame frame)
    {
        if (ReadRoom(frame) is not { } room)
        {
            return;
        }

        var head = await grain.JoinAsync(room);
        _streams.SetPositionIfUnknown("room:" + room, head);
        socket.Send(StreamFrames.Membership("joined", room, head));
    }

    private async Task LeaveAsync(ClientFrame frame)
    {
        if (ReadRoom(frame) is not { } room)
        {
            return;
        }

        var head = await grain.LeaveAsync(room);
        _streams.Forget("room:" + room);
        socket.Send(StreamFrames.Membership("left", room, head));
    }

    private async Task SendAsync(ClientFrame frame)
    {
        var id = frame.RequiredString("id", out var error);
        if (error is null && !Identifiers.IsClientMessageId(id))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'id' must be 1-64 characters.", frame.Id);
        }

        if (error is not null)
        {
            Refuse(error);
            return;
        }

        if (ReadRoom(frame) is not { } room)
        {
            return;
        }

        var text = frame.RequiredString("text", out error);
        if (error is null && text!.Length == 0)
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'text' must not be empty.", id);
        }

        if (error is null && text!.Length > MaxTextLength)
        {
            error = new ProtocolError(ErrorCodes.TooLarge, $"'text' is longer than {MaxTextLength} characters.", id);
        }

        if (error is not null)
        {
            Refuse(error);
            return;
        }

        var result = await grain.SendAsync(room, id!, text!);
        if (result.Outcome == ChatOutcome.NotMember || result.Post is null)
        {
            Refuse(new ProtocolError(ErrorCodes.NotMember, $"Join room '{room}' before sending to it.", id));
            return;
        }

        socket.Send(StreamFrames.Ack(id!, "room:" + room, result.Post.Offset));
    }

    private async Task HistoryAsync(ClientFrame frame)
    {
        if (ReadRoom(frame) is not { } room)
        {
            return;
        }

        var before = frame.OptionalInteger("before", out var error);
        var limit = error is null ? frame.OptionalInteger("limit", out error) : null;
        if (error is null && (before < 1 || limit < 1))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'before' and 'limit' must be positive.", frame.Id);
        }

        if (error is not null)
        {
            Refuse(error);
            return;
        }

        var result = await grain.HistoryAsync(room, before, (int)Math.Min(limit ?? DefaultHistoryLimit, MaxHistoryLimit));
        if (result.Outcome == ChatOutcome.NotMember)
        {
            Refuse(new ProtocolError(ErrorCodes.NotMember, $"Join room '{room}' before reading its history.", frame.Id));
            return;
        }

        socket.Send(StreamFrames.History(room, result.Messages));
    }

    private string? ReadRoom(ClientFrame frame)
    {
        var room = frame.RequiredString("room", out var error);
        if (error is null && !Identifiers.IsRoom(room))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'room' must be 1-64 characters of [A-Za-z0-9_.-].", frame.Id);
        }

        if (error is not null)
        {
            Refuse(error);
            return null;
        }

        return room;
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
            if (builder.Count >= 256 || stream.Name.Length is 0 or > 80)
            {
                error = new ProtocolError(ErrorCodes.InvalidField, "'streams' names at most 256 streams of up to 80 characters.", frame.Id);
                return false;
            }

            var value = stream.Value;
            if (value.ValueKind != JsonValueKind.Object
                || !value.TryGetProperty("epoch", out var epoch) || epoch.ValueKind != JsonValueKind.String || epoch.GetString() is not { Length: > 0 } epochText
                || !value.TryGetProperty("offset", out var offset) || !offset.TryGetInt64(out var offsetValue) || offsetValue < 0)
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
