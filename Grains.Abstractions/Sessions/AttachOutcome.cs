namespace OrleansTabs.Sessions;

/// <summary>How a session answered a tab that asked to be attached (<see cref="ISessionGrain.AttachTabAsync"/>).</summary>
[Alias("ot.AttachOutcome")]
public enum AttachOutcome
{
    /// <summary>The tab is attached (or was already): it may take the socket.</summary>
    Attached = 0,

    /// <summary>The session is unknown, revoked or expired: the tab must refuse the socket.</summary>
    SessionEnded = 1,

    /// <summary>The tab is new to the session and the session already has as many tabs as it may: refuse the socket.</summary>
    TooManyTabs = 2,

    /// <summary>
    /// The session records another live connection of the tab, opened by a page with another instance id (a duplicated
    /// tab): refuse the socket; nothing changed.
    /// </summary>
    Duplicate = 3,
}
