namespace OrleansTabs.Tabs;

/// <summary>How a tab grain decided on a connect (PROTOCOL.md section 2).</summary>
public enum ConnectOutcome
{
    /// <summary>The socket is the tab's current connection; send <c>welcome</c>.</summary>
    Accepted = 0,

    /// <summary>Another live page holds this tab id with a different instance id: close with 4010, no <c>welcome</c>.</summary>
    Duplicate = 1,

    /// <summary>The session is revoked or expired: close with 4501.</summary>
    SessionEnded = 2,
}
