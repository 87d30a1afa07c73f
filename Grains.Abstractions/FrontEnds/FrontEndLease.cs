namespace OrleansTabs.FrontEnds;

/// <summary>A front-end's registration: its id, observer and figures, valid until it lapses.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.FrontEndLease")]
public sealed record FrontEndLease(
    [property: Id(0)] string FrontEnd,
    [property: Id(1)] IFrontEndObserver Observer,
    [property: Id(2)] FrontEndStats Stats,
    [property: Id(3)] DateTimeOffset ExpiresAt);
