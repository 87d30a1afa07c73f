namespace OrleansTabs;

/// <summary>
/// Whom <see cref="IOrleansTabs"/> addresses: a user, a session, a tab of a session, a room or a topic, as
/// <c>POST /api/push</c> takes them in <c>target</c>. Made by the static methods, which refuse empty names.
/// </summary>
public sealed record TabsTarget
{
    private TabsTarget(TabsTargetKind kind, string id, string? tab = null)
    {
        Kind = kind;
        Id = id;
        TabId = tab;
    }

    /// <summary>What is addressed.</summary>
    public TabsTargetKind Kind { get; }

    /// <summary>The user, the session (also of a tab), the room or the topic.</summary>
    public string Id { get; }

    /// <summary>The tab id of a <see cref="TabsTargetKind.Tab"/> target; null otherwise.</summary>
    public string? TabId { get; }

    /// <summary>Every live session of <paramref name="user"/> (the identity's subject, never a display name).</summary>
    public static TabsTarget User(string user) => new(TabsTargetKind.User, Required(user));

    /// <summary>One session by its public handle (<c>session</c> of <c>/auth/login</c> and <c>/auth/me</c>).</summary>
    public static TabsTarget Session(string session) => new(TabsTargetKind.Session, Key(session));

    /// <summary>One tab of <paramref name="session"/>; tab ids are scoped to their session.</summary>
    public static TabsTarget Tab(string session, string tab) => new(TabsTargetKind.Tab, Key(session), Key(tab));

    /// <summary>A chat room (1-64 characters of <c>[A-Za-z0-9_.-]</c>).</summary>
    public static TabsTarget Room(string room) => new(TabsTargetKind.Room, RoomNames.Require(room));

    /// <summary>A dashboard topic.</summary>
    public static TabsTarget Topic(string topic) => new(TabsTargetKind.Topic, Required(topic));

    /// <inheritdoc/>
    public override string ToString() => TabId is null ? $"{Kind} {Id}" : $"{Kind} {Id}/{TabId}";

    private static string Required(string value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }

    /// <summary>A part of a grain key: never empty, never with a '/'.</summary>
    private static string Key(string value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value.Contains('/', StringComparison.Ordinal) ? throw new ArgumentException("It must not contain '/'.", name) : value;
    }
}
