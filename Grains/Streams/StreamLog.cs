using OrleansTabs.Streams;

namespace OrleansTabs.Grains.Streams;

/// <summary>
/// What every stream a grain keeps (a room's log, a tab's own queue) does alike: how an epoch is minted, and the resume
/// decision for a client's position against the stream's head and what it still retains.
/// </summary>
internal static class StreamLog
{
    /// <summary>
    /// A fresh epoch, for a stream that starts without history (a new one, or one whose history was lost): any position
    /// of an earlier epoch is then reset rather than resumed into the wrong frames.
    /// </summary>
    public static string NewEpoch() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Why a client at <paramref name="position"/> cannot be replayed from, given the stream's <paramref name="head"/>
    /// and its oldest retained offset: <see cref="ResetReasons.Epoch"/> for another epoch (or a position past the head,
    /// which only another epoch explains), <see cref="ResetReasons.Gap"/> when frames after it are no longer retained;
    /// null when every frame after it can be replayed.
    /// </summary>
    public static string? ResetReason(StreamPosition position, StreamPosition head, long oldestRetained)
    {
        if (position.Epoch != head.Epoch || position.Offset > head.Offset)
        {
            return ResetReasons.Epoch;
        }

        return position.Offset < oldestRetained - 1 ? ResetReasons.Gap : null;
    }
}
