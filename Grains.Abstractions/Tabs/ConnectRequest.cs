namespace OrleansTabs.Tabs;

/// <summary>
/// A front-end asks a tab grain to accept a new socket of that tab. <see cref="Heartbeat"/> is the interval the
/// front-end announced to the client; a connection with no frame for longer than that is no longer live.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.ConnectRequest")]
public sealed record ConnectRequest(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] ConnectionRef Connection,
    [property: Id(2)] string User,
    [property: Id(3)] TimeSpan Heartbeat,
    [property: Id(4)] string? Name = null);
