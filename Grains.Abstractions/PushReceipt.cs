namespace OrleansTabs;

/// <summary>
/// What a push did (docs/protocol.md section 6.3): <see cref="Delivered"/> frames handed to connected tabs now,
/// <see cref="Queued"/> kept for a tab to come (delivery <c>once</c> to a session with no connected tab).
/// <see cref="Found"/> is false when the target is unknown (no live session, an unused room), and nothing was sent.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PushReceipt")]
public sealed record PushReceipt(
    [property: Id(0)] int Delivered,
    [property: Id(1)] int Queued)
{
    /// <summary>The answer for an unknown target.</summary>
    public static readonly PushReceipt NotFound = new(0, 0) { Found = false };

    /// <summary>Whether the target is known; false for <see cref="NotFound"/>.</summary>
    [Id(2)]
    public bool Found { get; init; } = true;
}
