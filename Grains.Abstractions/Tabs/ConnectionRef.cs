using OrleansTabs.FrontEnds;

namespace OrleansTabs.Tabs;

/// <summary>
/// One live WebSocket of a tab: which front-end holds it, its connection id there, and the front-end's observer.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.ConnectionRef")]
public sealed record ConnectionRef(
    [property: Id(0)] string FrontEnd,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] IFrontEndObserver Observer);
