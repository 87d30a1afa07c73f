namespace OrleansTabs.Grains.Tabs;

/// <summary>The persisted state of a tab grain.</summary>
[GenerateSerializer]
[Alias("ot.TabState")]
public sealed class TabState
{
    /// <summary>The instance id of the page that holds (or last held) the tab.</summary>
    [Id(0)] public string? Instance { get; set; }

    /// <summary>The front-end holding the current socket, or null when disconnected.</summary>
    [Id(1)] public string? FrontEnd { get; set; }

    /// <summary>The current socket's connection id on that front-end, or null when disconnected.</summary>
    [Id(2)] public string? ConnectionId { get; set; }

    /// <summary>The epoch of the tab's own stream; a tab rebuilt without its history gets a new one.</summary>
    [Id(3)] public string Epoch { get; set; } = "";

    /// <summary>The offset of the newest frame of the tab's own stream.</summary>
    [Id(4)] public long Offset { get; set; }

    /// <summary>The retained frames of the tab's own stream, oldest first (trimmed by client acks and a count bound).</summary>
    [Id(5)] public List<TabMessage> Queue { get; set; } = [];

    /// <summary>The rooms this tab joined; membership survives reconnects until the tab leaves or expires.</summary>
    [Id(6)] public List<string> Rooms { get; set; } = [];

    /// <summary>The user the tab belongs to (for the <c>from</c> of its messages).</summary>
    [Id(7)] public string? User { get; set; }

    /// <summary>The user's display name, when it differs from the user (the subject).</summary>
    [Id(9)] public string? Name { get; set; }

    /// <summary>Idempotency keys of recent pushes (within the dedup window, at most as many as queued frames), oldest first.</summary>
    [Id(8)] public List<PushReceipt> PushReceipts { get; set; } = [];

    /// <summary>The rooms of <see cref="Rooms"/> the server joined the tab's session to: the tab may not leave them. Null while there are none.</summary>
    [Id(10)] public List<string>? ServerRooms { get; set; }
}

/// <summary>A retained frame of a tab's own stream.</summary>
[GenerateSerializer]
[Alias("ot.TabState.TabMessage")]
public sealed class TabMessage
{
    [Id(0)] public long Offset { get; set; }

    [Id(1)] public string Id { get; set; } = "";

    [Id(2)] public string PayloadJson { get; set; } = "{}";

    [Id(3)] public DateTimeOffset Timestamp { get; set; }
}

/// <summary>A push with an idempotency key: what it was answered, so a repeat gets the same answer and no second frame.</summary>
[GenerateSerializer]
[Alias("ot.TabState.PushReceipt")]
public sealed class PushReceipt
{
    [Id(0)] public string Key { get; set; } = "";

    [Id(1)] public bool Delivered { get; set; }

    [Id(2)] public DateTimeOffset At { get; set; }
}
