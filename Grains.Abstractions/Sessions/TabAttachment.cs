using System.Collections.Immutable;

namespace OrleansTabs.Sessions;

/// <summary>
/// The session's answer to a tab attaching: whether it is attached, and the pushes the session kept for the next tab
/// (delivery <c>once</c> while no tab was connected), now handed to this tab, oldest first.
/// </summary>
/// <param name="Outcome">Whether the tab may take the socket.</param>
/// <param name="Pending">The pushes kept for the next tab, now this tab's, oldest first.</param>
/// <param name="Superseded">The connection the session recorded for the tab until now, which the tab closes with 4509.</param>
/// <param name="UnwrittenEpoch">The tab stream's epoch the session recorded while the tab had no stored state.</param>
/// <param name="ServerRooms">
/// The rooms the server joined the session to (docs/protocol.md section 7.3), for a chat tab: the tab is a member of each
/// from its <c>welcome</c> and may not leave them. Default (none) for a session the server joined to no room.
/// </param>
[GenerateSerializer, Immutable]
[Alias("ot.TabAttachment")]
public sealed record TabAttachment(
    [property: Id(0)] AttachOutcome Outcome,
    [property: Id(1)] ImmutableArray<string> Pending,
    [property: Id(2)] TabConnection? Superseded = null,
    [property: Id(3)] string? UnwrittenEpoch = null,
    [property: Id(4)] ImmutableArray<string> ServerRooms = default)
{
    /// <summary>The session is not live: the tab must refuse the socket.</summary>
    public static readonly TabAttachment Ended = new(AttachOutcome.SessionEnded, []);

    /// <summary>A new tab over the session's cap: the tab must refuse the socket.</summary>
    public static readonly TabAttachment TooManyTabs = new(AttachOutcome.TooManyTabs, []);

    /// <summary>Attached, nothing kept for it, nothing taken over, its stream written by the tab itself (a reconnect).</summary>
    public static readonly TabAttachment Attached = new(AttachOutcome.Attached, []);

    /// <summary>Another page holds the tab id with a live connection (or another socket took the tab that a reclaim asked for back): refuse it.</summary>
    public static readonly TabAttachment Duplicate = new(AttachOutcome.Duplicate, []);
}
