namespace OrleansTabs.FrontEnds;

/// <summary>Tells a front-end to close one of its sockets with a docs/protocol.md close code.</summary>
[GenerateSerializer, Immutable]
public sealed record CloseCommand(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] int Code,
    [property: Id(2)] string Reason);
