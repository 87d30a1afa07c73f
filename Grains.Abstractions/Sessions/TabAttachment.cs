using System.Collections.Immutable;

namespace OrleansTabs.Sessions;

/// <summary>
/// The session's answer to a tab attaching: whether the session is live, and the pushes it kept for the next tab
/// (delivery <c>once</c> while no tab was connected), now handed to this tab, oldest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TabAttachment(
    [property: Id(0)] bool Live,
    [property: Id(1)] ImmutableArray<string> Pending)
{
    /// <summary>The session is not live: the tab must refuse the socket.</summary>
    public static readonly TabAttachment Ended = new(false, []);

    /// <summary>Attached, nothing kept for it.</summary>
    public static readonly TabAttachment Attached = new(true, []);
}
