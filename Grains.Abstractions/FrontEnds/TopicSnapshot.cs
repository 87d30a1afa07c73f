namespace OrleansTabs.FrontEnds;

/// <summary>The latest value of a dashboard topic, as JSON text.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.TopicSnapshot")]
public sealed record TopicSnapshot(
    [property: Id(0)] string Topic,
    [property: Id(1)] string DataJson,
    [property: Id(2)] DateTimeOffset Timestamp);
