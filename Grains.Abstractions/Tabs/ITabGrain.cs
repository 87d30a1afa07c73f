namespace OrleansTabs.Tabs;

/// <summary>
/// One tab on one channel of one session (key: <see cref="TabAddress.ToGrainKey"/>). Holds the tab's
/// registration, instance id, liveness and current connection, and decides takeover and duplicates.
/// </summary>
public interface ITabGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a new socket. A live connection with the same instance is superseded (4509 to the old socket);
    /// a live connection with a different instance makes the newcomer a duplicate; a stale one is replaced.
    /// </summary>
    Task<ConnectResult> ConnectAsync(ConnectRequest request);

    /// <summary>
    /// Records activity of a socket and fences it: answers whether the socket is still the tab's connection of a live session.
    /// </summary>
    Task<FrameVerdict> TouchAsync(string connectionId);

    /// <summary>Forgets the socket if it is still the current one; the tab's state stays for the retention window.</summary>
    Task DisconnectAsync(string connectionId, bool clean);

    /// <summary>
    /// Ends the tab because its session ended: the current socket is closed with 4501 and no later connect or frame is accepted.
    /// Interleaves, so a session can end a tab that is waiting on the session.
    /// </summary>
    [AlwaysInterleave]
    Task EndAsync(string reason);
}
