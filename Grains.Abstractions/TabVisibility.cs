namespace OrleansTabs;

/// <summary>A tab's page visibility as it reports it (docs/protocol.md section 6.1).</summary>
[Alias("ot.TabVisibility")]
public enum TabVisibility
{
    /// <summary>The page is visible (also a tab that never reported its state).</summary>
    Visible,

    /// <summary>The page is hidden (another tab in front, the window minimized).</summary>
    Hidden,
}
