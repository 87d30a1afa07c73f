using System.Collections.Immutable;

namespace OrleansTabs.Streams;

/// <summary>The answer to a resume: the frames to replay, in stream order, and the outcome per stream the client named.</summary>
[GenerateSerializer, Immutable]
public sealed record ResumeResult(
    [property: Id(0)] ImmutableArray<StreamMessage> Replay,
    [property: Id(1)] ImmutableDictionary<string, StreamResume> Streams);
