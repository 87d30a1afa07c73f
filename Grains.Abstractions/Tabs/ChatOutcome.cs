namespace OrleansTabs.Tabs;

/// <summary>Whether a chat request of a tab could be served.</summary>
public enum ChatOutcome
{
    /// <summary>Served.</summary>
    Ok = 0,

    /// <summary>The tab has not joined the room (<c>not_member</c>).</summary>
    NotMember = 1,

    /// <summary>The socket is no longer the tab's connection, or the session ended.</summary>
    Fenced = 2,
}
