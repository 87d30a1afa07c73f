using System.Collections.Concurrent;
using System.Collections.Immutable;
using OrleansTabs.FrontEnds;
using OrleansTabs.Presence;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>A front-end as the grains see it: an observer that records what is pushed to it, registered with a lease.</summary>
public sealed class RecordingFrontEnd : IFrontEndObserver
{
    private readonly ConcurrentQueue<CloseCommand> _closes = new();
    private readonly ConcurrentQueue<int> _closeBatches = new();
    private readonly ConcurrentQueue<(string Room, PresenceDiff Diff, string[] Connections)> _presence = new();
    private readonly ConcurrentQueue<(StreamMessage Message, string[] Connections)> _deliveries = new();

    private readonly ConcurrentQueue<(string ConnectionId, string Room, StreamPosition Head, bool Joined)> _memberships = new();

    private RecordingFrontEnd(string id) => Id = id;

    public string Id { get; }

    public IFrontEndObserver Reference { get; private set; } = null!;

    public IReadOnlyCollection<CloseCommand> Closes => _closes;

    /// <summary>The size of each <see cref="CloseAsync"/> call's command list, in arrival order.</summary>
    public IReadOnlyCollection<int> CloseBatches => _closeBatches;

    public IReadOnlyCollection<(StreamMessage Message, string[] Connections)> Deliveries => _deliveries;

    /// <summary>The server's joins and leaves sent here (<c>joined</c>/<c>left</c> with <c>"by":"server"</c>), in arrival order.</summary>
    public IReadOnlyCollection<(string ConnectionId, string Room, StreamPosition Head, bool Joined)> Memberships => _memberships;

    /// <summary>Presence diffs pushed here, in arrival order.</summary>
    public IReadOnlyCollection<(string Room, PresenceDiff Diff, string[] Connections)> PresenceDiffs => _presence;

    public static async Task<RecordingFrontEnd> RegisterAsync(IClusterClient client, TimeSpan? lease = null)
    {
        var frontEnd = new RecordingFrontEnd("test-fe-" + Guid.NewGuid().ToString("N")[..8]);
        frontEnd.Reference = client.CreateObjectReference<IFrontEndObserver>(frontEnd);
        await client.GetFrontEndDirectory().RenewAsync(frontEnd.Id, frontEnd.Reference, FrontEndStats.Empty, lease ?? TimeSpan.FromHours(1));
        return frontEnd;
    }

    /// <summary>A front-end the directory does not know yet (as after a directory reactivation, before its next renewal).</summary>
    public static RecordingFrontEnd Unregistered(IClusterClient client)
    {
        var frontEnd = new RecordingFrontEnd("test-fe-" + Guid.NewGuid().ToString("N")[..8]);
        frontEnd.Reference = client.CreateObjectReference<IFrontEndObserver>(frontEnd);
        return frontEnd;
    }

    /// <summary>Renews the lease (a front-end that stalled past its lease and goes on).</summary>
    public Task RenewAsync(IClusterClient client, TimeSpan lease) =>
        client.GetFrontEndDirectory().RenewAsync(Id, Reference, FrontEndStats.Empty, lease);

    public ConnectRequest Connect(string instance, string connectionId, TimeSpan? heartbeat = null) =>
        new(instance, new ConnectionRef(Id, connectionId, Reference), "tester", heartbeat ?? TimeSpan.FromSeconds(15));

    public async Task<CloseCommand> WaitForCloseAsync(string connectionId)
    {
        CloseCommand? found = null;
        await Deadline.UntilAsync(() => (found = _closes.FirstOrDefault(c => c.ConnectionId == connectionId)) is not null, $"connection {connectionId} is closed");
        return found!;
    }

    public Task CloseAsync(CloseCommand[] commands)
    {
        _closeBatches.Enqueue(commands.Length);
        foreach (var command in commands)
        {
            _closes.Enqueue(command);
        }

        return Task.CompletedTask;
    }

    public Task DeliverAsync(ImmutableArray<StreamMessage> messages, ImmutableArray<string> connectionIds)
    {
        // One call per batch; recorded per message so tests can follow each frame.
        foreach (var message in messages)
        {
            _deliveries.Enqueue((message, [.. connectionIds]));
        }

        return Task.CompletedTask;
    }

    public Task PresenceAsync(string room, PresenceDiff diff, ImmutableArray<string> connectionIds)
    {
        _presence.Enqueue((room, diff, [.. connectionIds]));
        return Task.CompletedTask;
    }

    public Task PublishAsync(TopicSnapshot snapshot) => Task.CompletedTask;

    public Task ServerMembershipAsync(string connectionId, string room, StreamPosition head, bool joined)
    {
        _memberships.Enqueue((connectionId, room, head, joined));
        return Task.CompletedTask;
    }
}
