namespace OrleansTabs.Streams;

/// <summary>
/// What one reply may carry, from the grain that gathers it to the frame a socket sends (docs/protocol.md section 9):
/// a <c>history</c> page, a <c>presence</c> page, and each page of a resume or gap repair. Bounded in bytes as well as
/// in count, so no grain response and no queued frame grows with the size of a room or of its messages.
/// </summary>
public static class ReplyBudget
{
    /// <summary>The bytes of messages (or presence entries) one reply carries, as they are encoded in a frame.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>The most frames one page of a resume or gap repair carries.</summary>
    public const int MaxReplayMessages = 200;

    /// <summary>The most tabs one <c>presence</c> answer to <c>who</c> lists.</summary>
    public const int MaxPresenceTabs = 1000;
}
