using System.Collections.Immutable;
using OrleansTabs.FrontEnds;
using OrleansTabs.Presence;
using OrleansTabs.Streams;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// This process's one observer: grains push frames and close commands through it to the sockets held here.
/// Each frame arrives encoded once and the same bytes are queued on every target socket; the sockets are then written
/// by one work item per call (<see cref="FanOutWrites"/>), not by waking each socket's send loop.
/// </summary>
internal sealed class FrontEndObserver(LocalConnections connections) : IFrontEndObserver
{
    public Task CloseAsync(CloseCommand[] commands)
    {
        foreach (var command in commands)
        {
            connections.Find(command.ConnectionId)?.Close(CloseReason.FromWire(command.Code, command.Reason));
        }

        return Task.CompletedTask;
    }

    public Task DeliverAsync(ImmutableArray<StreamMessage> messages, ImmutableArray<string> connectionIds)
    {
        var encoded = new ReadOnlyMemory<byte>[messages.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            encoded[i] = StreamFrames.Message(messages[i]);
        }

        using var writes = FanOutWrites.Begin();
        foreach (var id in connectionIds)
        {
            connections.Find(id)?.Streams?.Deliver(messages, encoded);
        }

        return Task.CompletedTask;
    }

    public Task PresenceAsync(string room, PresenceDiff diff, ImmutableArray<string> connectionIds)
    {
        ReadOnlyMemory<byte> frame = PresenceFrames.Diff(room, diff);
        using var writes = FanOutWrites.Begin();
        foreach (var id in connectionIds)
        {
            connections.Find(id)?.Send(frame);
        }

        return Task.CompletedTask;
    }

    public Task ServerMembershipAsync(string connectionId, string room, StreamPosition head, bool joined)
    {
        if (connections.Find(connectionId) is not { } socket)
        {
            return Task.CompletedTask;
        }

        var stream = StreamNames.Room(room);
        if (joined)
        {
            // The frame first: the room's live frames above the head, held until its position is known, follow it.
            socket.Send(StreamFrames.Membership("joined", room, head, by: "server"));
            socket.Streams?.SetPositionIfUnknown(stream, head);
        }
        else
        {
            socket.Streams?.Forget(stream);
            socket.Send(StreamFrames.Membership("left", room, head, by: "server"));
        }

        return Task.CompletedTask;
    }

    public Task PublishAsync(TopicSnapshot snapshot)
    {
        connections.SetTopic(snapshot);
        ReadOnlyMemory<byte> bytes = ServerFrames.Snapshot(snapshot);
        using var writes = FanOutWrites.Begin();
        foreach (var socket in connections.Dashboards)
        {
            socket.Send(bytes);
        }

        return Task.CompletedTask;
    }
}
