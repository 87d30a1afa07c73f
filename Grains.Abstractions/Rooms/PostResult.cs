namespace OrleansTabs.Rooms;

/// <summary>Where a post landed: the stream's epoch and the message's offset; <see cref="Duplicate"/> for a resend.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.PostResult")]
public sealed record PostResult(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Offset,
    [property: Id(2)] bool Duplicate);
