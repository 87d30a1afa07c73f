namespace OrleansTabs.FrontEnds;

/// <summary>
/// A server frame addressed to one socket, already encoded as its UTF-8 JSON text so that the
/// front-end writes it without re-serializing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TabFrame(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] byte[] Utf8Json);
