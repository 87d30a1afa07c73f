namespace OrleansTabs.Grains.Sessions;

/// <summary>The persisted state of a session grain.</summary>
[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)] public string? User { get; set; }

    [Id(1)] public DateTimeOffset CreatedAt { get; set; }

    [Id(2)] public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Set once, never cleared: the fence that keeps an ended session ended.</summary>
    [Id(3)] public bool Revoked { get; set; }

    /// <summary>Attached tabs by tab grain key.</summary>
    [Id(4)] public Dictionary<string, AttachedTab> Tabs { get; set; } = [];
}

/// <summary>A tab attached to a session.</summary>
[GenerateSerializer]
public sealed class AttachedTab
{
    [Id(0)] public string Tab { get; set; } = "";

    [Id(1)] public string Channel { get; set; } = "";

    [Id(2)] public bool Connected { get; set; }

    [Id(3)] public string? FrontEnd { get; set; }

    /// <summary>The socket's connection id on that front-end, while connected.</summary>
    [Id(4)] public string? ConnectionId { get; set; }
}
