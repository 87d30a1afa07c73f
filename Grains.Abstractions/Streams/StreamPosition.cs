namespace OrleansTabs.Streams;

/// <summary>A position in a stream as a client last saw it (or a stream's head): epoch and offset.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.StreamPosition")]
public sealed record StreamPosition(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Offset);
