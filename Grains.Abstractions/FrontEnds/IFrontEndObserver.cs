using OrleansTabs.Presence;
using OrleansTabs.Streams;

namespace OrleansTabs.FrontEnds;

/// <summary>
/// Implemented by each Web front-end process (one observer per process, not per socket). Grains push outbound
/// frames and close commands through it. Every method is one-way: a grain never waits on a front-end, which may be dead.
/// </summary>
[Alias("ot.FrontEndObserver")]
public interface IFrontEndObserver : IGrainObserver
{
    /// <summary>Closes the named sockets with their close codes.</summary>
    [OneWay]
    [Alias("Close")]
    Task CloseAsync(CloseCommand[] commands);

    /// <summary>
    /// Delivers frames of one stream, oldest first, to the named sockets: one call per front-end per group commit, each
    /// frame encoded once and the same bytes queued on every socket.
    /// </summary>
    [OneWay]
    [Alias("Deliver")]
    Task DeliverAsync(ImmutableArray<StreamMessage> messages, ImmutableArray<string> connectionIds);

    /// <summary>A room's presence changed: send the diff, encoded once, to the named sockets (the room's watchers here).</summary>
    [OneWay]
    [Alias("Presence")]
    Task PresenceAsync(string room, PresenceDiff diff, ImmutableArray<string> connectionIds);

    /// <summary>
    /// The server joined (<paramref name="joined"/>) or left a tab's session to <paramref name="room"/> (docs/protocol.md
    /// section 7.3): send the socket <c>joined</c> or <c>left</c> with <c>"by":"server"</c> and the room stream's
    /// <paramref name="head"/>; after a join, the room's live frames above the head follow it.
    /// </summary>
    [OneWay]
    [Alias("ServerMembership")]
    Task ServerMembershipAsync(string connectionId, string room, StreamPosition head, bool joined);

    /// <summary>A topic has a new value: forward it to the local dashboard sockets.</summary>
    [OneWay]
    [Alias("Publish")]
    Task PublishAsync(TopicSnapshot snapshot);
}
