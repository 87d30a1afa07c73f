using System.Collections.Immutable;

namespace OrleansTabs.Sessions;

/// <summary>
/// The session's answer to a tab attaching: whether it is attached, and the pushes the session kept for the next tab
/// (delivery <c>once</c> while no tab was connected), now handed to this tab, oldest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TabAttachment(
    [property: Id(0)] AttachOutcome Outcome,
    [property: Id(1)] ImmutableArray<string> Pending)
{
    /// <summary>The session is not live: the tab must refuse the socket.</summary>
    public static readonly TabAttachment Ended = new(AttachOutcome.SessionEnded, []);

    /// <summary>A new tab over the session's cap: the tab must refuse the socket.</summary>
    public static readonly TabAttachment TooManyTabs = new(AttachOutcome.TooManyTabs, []);

    /// <summary>Attached, nothing kept for it.</summary>
    public static readonly TabAttachment Attached = new(AttachOutcome.Attached, []);

    /// <summary>Whether the tab is attached and may take the socket.</summary>
    public bool Live => Outcome == AttachOutcome.Attached;
}
