namespace OrleansTabs;

/// <summary>
/// The application's rules for who may connect a tab, join a room and send to it (docs/protocol.md, "The application's
/// hooks").
/// Resolved from the host's services and run on the front-end that holds the socket, inside the frame's handling: a
/// slow answer delays that tab only. A method left as it is allows; an exception answers <c>error</c> <c>internal</c>
/// (before the upgrade, HTTP 500) and harms nothing else. Rooms the server joined the session to are not asked about.
/// </summary>
public interface ITabsAuthorizer
{
    /// <summary>Whether the tab may connect; a denial is HTTP 403 before the upgrade, its message the problem's detail.</summary>
    ValueTask<TabsDecision> AuthorizeConnectAsync(TabContext tab, CancellationToken cancellationToken) => TabsDecision.AllowAsync;

    /// <summary>Whether the tab may join <paramref name="room"/>; a denial is <c>error</c> <c>forbidden</c>, the socket stays open.</summary>
    ValueTask<TabsDecision> AuthorizeJoinAsync(TabContext tab, string room, CancellationToken cancellationToken) => TabsDecision.AllowAsync;

    /// <summary>Whether the tab may send to <paramref name="room"/>; a denial is <c>error</c> <c>forbidden</c> with the send's id as <c>ref</c>, and nothing is posted.</summary>
    ValueTask<TabsDecision> AuthorizeSendAsync(TabContext tab, string room, CancellationToken cancellationToken) => TabsDecision.AllowAsync;
}
