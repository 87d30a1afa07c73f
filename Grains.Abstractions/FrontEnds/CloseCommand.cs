namespace OrleansTabs.FrontEnds;

/// <summary>Tells a front-end to close one of its sockets with a docs/protocol.md close code and reason JSON (a <see cref="CloseReason"/> on the wire).</summary>
[GenerateSerializer, Immutable]
[Alias("ot.CloseCommand")]
public sealed record CloseCommand(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] int Code,
    [property: Id(2)] string Reason)
{
    /// <summary>A command to close with one of the predefined closes (its code and its reason JSON).</summary>
    public CloseCommand(string connectionId, CloseReason close)
        : this(connectionId, close.Code, close.Json)
    {
    }
}
