namespace OrleansTabs.Sessions;

/// <summary>
/// A tab asking its session to record a socket as the tab's connection (<see cref="ISessionGrain.AttachTabAsync"/>). The
/// session's record is where a tab's connection is kept durably: a tab grain does not write its own state to connect.
/// </summary>
/// <param name="FrontEnd">The front-end holding the socket.</param>
/// <param name="ConnectionId">The socket's connection id on that front-end.</param>
/// <param name="Instance">The instance id of the page that opened the socket.</param>
/// <param name="UnwrittenEpoch">
/// The epoch of the tab's own stream while the tab has no stored state, kept with the record so that a tab reactivated
/// before it ever wrote resumes the same (empty) stream; null once the tab has stored state, which then holds it.
/// </param>
/// <param name="RecordedMayBeLive">
/// Whether another connection the session records for the tab may still be live: the tab saw it within a heartbeat,
/// or the tab was reactivated less than a heartbeat ago and cannot tell. A page with another instance id is then a
/// duplicate (refused); otherwise the recorded connection is taken over.
/// </param>
/// <param name="Reclaim">
/// A socket that outlived its front-end's lease asks for the tab back: refused (as a duplicate) if the session records
/// another connection of the tab by then, which is never taken over for it.
/// </param>
[GenerateSerializer, Immutable]
[Alias("ot.TabBinding")]
public sealed record TabBinding(
    [property: Id(0)] string FrontEnd,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] string Instance,
    [property: Id(3)] string? UnwrittenEpoch,
    [property: Id(4)] bool RecordedMayBeLive,
    [property: Id(5)] bool Reclaim = false);

/// <summary>A tab's connection as its session records it.</summary>
[GenerateSerializer, Immutable]
[Alias("ot.TabConnection")]
public sealed record TabConnection(
    [property: Id(0)] string FrontEnd,
    [property: Id(1)] string ConnectionId);

/// <summary>
/// What a session records of one of its tabs, for a tab grain reactivated without it (<see cref="ISessionGrain.RecallTabAsync"/>).
/// </summary>
/// <param name="Live">Whether the session is live; nothing else is set when it is not.</param>
/// <param name="User">The session's user.</param>
/// <param name="Connection">The tab's connection, or null if the session records it disconnected (or not at all).</param>
/// <param name="Instance">The instance id of the page that attached the tab last.</param>
/// <param name="UnwrittenEpoch">The tab stream's epoch recorded while the tab had no stored state (see <see cref="TabBinding"/>).</param>
/// <param name="Name">The user's display name.</param>
[GenerateSerializer, Immutable]
[Alias("ot.TabRecall")]
public sealed record TabRecall(
    [property: Id(0)] bool Live,
    [property: Id(1)] string? User,
    [property: Id(2)] TabConnection? Connection,
    [property: Id(3)] string? Instance,
    [property: Id(4)] string? UnwrittenEpoch,
    [property: Id(5)] string? Name = null)
{
    /// <summary>The session is not live.</summary>
    public static readonly TabRecall Ended = new(false, null, null, null, null);
}
