using OrleansTabs.Streams;

namespace OrleansTabs.FrontEnds;

/// <summary>
/// Implemented by each Web front-end process (one observer per process, not per socket). Grains push outbound
/// frames and close commands through it. Every method is one-way: a grain never waits on a front-end, which may be dead.
/// </summary>
public interface IFrontEndObserver : IGrainObserver
{
    /// <summary>Closes the named sockets with their close codes.</summary>
    [OneWay]
    Task CloseAsync(CloseCommand[] commands);

    /// <summary>Delivers one stream frame to the named sockets (encoded once, in stream order per socket).</summary>
    [OneWay]
    Task DeliverAsync(StreamMessage message, string[] connectionIds);

    /// <summary>A topic has a new value: forward it to the local dashboard sockets.</summary>
    [OneWay]
    Task PublishAsync(TopicSnapshot snapshot);
}
