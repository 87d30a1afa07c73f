using System.Collections.Immutable;

namespace OrleansTabs.Presence;

/// <summary>
/// A page of a room's presence, ordered by user and tab, within <see cref="Streams.ReplyBudget.MaxPresenceTabs"/> and
/// <see cref="Streams.ReplyBudget.MaxBytes"/>. <see cref="Next"/> (an opaque cursor) when more tabs follow: asked with
/// it, the room answers the tabs after this page.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PresencePage")]
public sealed record PresencePage(
    [property: Id(0)] ImmutableArray<PresentTab> Tabs,
    [property: Id(1)] string? Next);
