namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// Where <see cref="StreamCursors"/> sends the frames it lets through: a socket's bounded send queue. A seam, so the
/// ordering rules are tested without a socket.
/// </summary>
internal interface IStreamSink
{
    /// <summary>Queues a frame. Returns false if the sink is closing or its queue overflowed (and it is now closing).</summary>
    bool Send(ReadOnlyMemory<byte> frame);

    /// <summary>Queues a <c>reset</c> of <paramref name="stream"/> for <paramref name="reason"/> (counted by reason); false as for <see cref="Send"/>.</summary>
    bool SendReset(string stream, string reason);

    /// <summary>Requests a close of docs/protocol.md section 4; queued frames are still sent unless <paramref name="dropPending"/>.</summary>
    void Close(CloseReason close, bool dropPending = false);

    /// <summary>Completes once there is room for a replayed frame (true), or the sink is closing (false).</summary>
    ValueTask<bool> WaitForReplayRoomAsync();
}
