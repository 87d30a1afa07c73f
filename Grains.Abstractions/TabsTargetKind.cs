namespace OrleansTabs;

/// <summary>What a <see cref="TabsTarget"/> addresses.</summary>
[Alias("ot.TabsTargetKind")]
public enum TabsTargetKind
{
    /// <summary>Every live session of a user (the identity's subject).</summary>
    User,

    /// <summary>One session, by its public handle.</summary>
    Session,

    /// <summary>One tab of a session, on every channel it is open on.</summary>
    Tab,

    /// <summary>A chat room: its durable stream.</summary>
    Room,

    /// <summary>A dashboard topic: its latest value.</summary>
    Topic,
}
