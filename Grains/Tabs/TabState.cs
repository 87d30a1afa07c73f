namespace OrleansTabs.Grains.Tabs;

/// <summary>The persisted state of a tab grain.</summary>
[GenerateSerializer]
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
}
