namespace OrleansTabs;

/// <summary>A <see cref="CloseReason"/> between silos and front-ends: its code and its reason JSON, as the wire has them.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.CloseReason")]
public readonly record struct CloseReasonSurrogate(
    [property: Id(0)] int Code,
    [property: Id(1)] string Json);
