namespace OrleansTabs.Tabs;

/// <summary>The current head of a resumable stream: its epoch and the offset of its newest frame (0 when empty).</summary>
[GenerateSerializer, Immutable]
public sealed record StreamHead(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Offset);
