using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Tabs;

/// <summary>The answer to <see cref="ITabGrain.ConnectAsync"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.ConnectResult")]
public sealed record ConnectResult(
    [property: Id(0)] ConnectOutcome Outcome,
    [property: Id(1)] ImmutableDictionary<string, StreamPosition> Streams,
    [property: Id(2)] ImmutableArray<string> Rooms)
{
    /// <summary>A refusal carries no streams.</summary>
    public static ConnectResult Refused(ConnectOutcome outcome) =>
        new(outcome, ImmutableDictionary<string, StreamPosition>.Empty, []);
}
