using System.Collections.Immutable;
using OrleansTabs.Tabs;

namespace OrleansTabs.Streams;

/// <summary>
/// The answer to a resume: the frames to replay, in stream order, and the outcome per stream the client named; or,
/// when the socket may not go on (<see cref="Verdict"/> not <see cref="FrameVerdict.IsOk"/>), nothing.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.ResumeResult")]
public sealed record ResumeResult(
    [property: Id(0)] ImmutableArray<StreamMessage> Replay,
    [property: Id(1)] ImmutableDictionary<string, StreamResume> Streams,
    [property: Id(3)] FrameVerdict Verdict);
