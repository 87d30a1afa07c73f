namespace OrleansTabs.Rooms;

/// <summary>
/// A chat message from a tab: the tab's grain key and client message id make it idempotent. <see cref="Name"/> is the
/// user's display name when it differs from the user (the subject).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.PostRequest")]
public sealed record PostRequest(
    [property: Id(0)] string TabKey,
    [property: Id(1)] string ClientId,
    [property: Id(2)] string User,
    [property: Id(3)] string Tab,
    [property: Id(4)] string Text,
    [property: Id(5)] string? Name = null);
