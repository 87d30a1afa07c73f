using OrleansTabs.Tabs;

namespace OrleansTabs.Sessions;

/// <summary>
/// The tab a single-tab push goes to, or none; <see cref="Queued"/> if the session had no connected tab and kept the frame
/// for the next tab that connects.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PushChoice")]
public sealed record PushChoice(
    [property: Id(0)] TabAddress? Tab,
    [property: Id(1)] bool Queued);
