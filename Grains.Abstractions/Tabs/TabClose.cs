namespace OrleansTabs.Tabs;

/// <summary>
/// How a connection of a tab ended (docs/protocol.md section 6.5): the close code, the close reason's <c>code</c>
/// (<c>superseded</c>, <c>heartbeat_timeout</c>, <c>too_slow</c>, ...; <c>lost</c> with 1006 for a socket that vanished or a
/// front-end that died; <c>client</c> for a close the page sent), and when.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.TabClose")]
public sealed record TabClose(
    [property: Id(0)] int Code,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset At)
{
    /// <summary>The close code for a socket that ended without a close handshake (RFC 6455's 1006).</summary>
    public const int AbnormalCode = 1006;

    /// <summary>A connection this side closed with <paramref name="close"/>.</summary>
    public static TabClose Of(CloseReason close, DateTimeOffset at) => new(close.Code, close.Name, at);

    /// <summary>A socket that vanished, or whose front-end died.</summary>
    public static TabClose Lost(DateTimeOffset at) => new(AbnormalCode, "lost", at);
}
