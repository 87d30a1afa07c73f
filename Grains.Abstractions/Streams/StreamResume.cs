namespace OrleansTabs.Streams;

/// <summary>
/// What a resume did for one stream: how many frames it replays, or, when the asked position is no longer retained
/// (<c>gap</c>) or the stream was rebuilt (<c>epoch</c>), the reset reason. <see cref="Head"/> is where live delivery
/// continues from.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.StreamResume")]
public sealed record StreamResume(
    [property: Id(0)] int Replayed,
    [property: Id(1)] string? ResetReason,
    [property: Id(2)] StreamPosition Head);
