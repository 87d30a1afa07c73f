namespace OrleansTabs.Tabs;

/// <summary>How a tab grain decided on a connect (docs/protocol.md section 2).</summary>
[Alias("ot.ConnectOutcome")]
public enum ConnectOutcome
{
    /// <summary>The socket is the tab's current connection; send <c>welcome</c>.</summary>
    Accepted = 0,

    /// <summary>Another live page holds this tab id with a different instance id: close with <see cref="CloseReason.DuplicateTab"/>, no <c>welcome</c>.</summary>
    Duplicate = 1,

    /// <summary>The session is revoked or expired: refused before the upgrade with 401.</summary>
    SessionEnded = 2,

    /// <summary>The tab is new and its session has the most tabs it may have: refused before the upgrade with 429.</summary>
    TooManyTabs = 3,
}
