namespace OrleansTabs;

/// <summary>The delivery mode of a push to a user or session (docs/protocol.md section 6.3).</summary>
[Alias("ot.PushDelivery")]
public enum PushDelivery
{
    /// <summary>Every tab of the session.</summary>
    All,

    /// <summary>Per session, the focused tab, else the most recently active connected tab; none if no tab is connected.</summary>
    Focused,

    /// <summary>Per session, exactly one tab, chosen as for <see cref="Focused"/>; kept for the next tab if none is connected.</summary>
    Once,
}
