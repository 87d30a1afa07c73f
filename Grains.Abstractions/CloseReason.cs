namespace OrleansTabs;

/// <summary>
/// A WebSocket close of docs/protocol.md section 4 as one value: the close code, the close reason's <c>code</c> (what a
/// tab's <c>lastClose.reason</c> records, section 6.5) and whether a client must not reconnect on its own. The close
/// reason JSON (<c>{"code":"…"}</c>, at most 123 bytes) is built once per value, never per close. Codes 4000-4499 are
/// retryable (reconnect with <c>resume</c>), 4500-4999 terminal.
/// </summary>
public sealed class CloseReason
{
    /// <summary>1000: normal close, with no reason (this side sends it only to answer the peer's own close).</summary>
    public static readonly CloseReason Normal = new(1000, "", terminal: true);

    /// <summary>1001: the front-end is going away (drain, deploy); the client reconnects at once, with resume.</summary>
    public static readonly CloseReason GoingAway = new(1001, "going_away", terminal: false);

    /// <summary>1008 for a binary frame (the protocol is text frames only).</summary>
    public static readonly CloseReason BinaryFrame = new(1008, "binary_frame", terminal: true);

    /// <summary>1008 for an error storm: too many refused frames within the error window.</summary>
    public static readonly CloseReason ErrorStorm = new(1008, "error_storm", terminal: true);

    /// <summary>1009: a frame larger than <c>MaxFrameBytes</c>.</summary>
    public static readonly CloseReason TooLarge = new(1009, "too_large", terminal: true);

    /// <summary>1011: an internal error; the client reconnects with backoff.</summary>
    public static readonly CloseReason InternalError = new(1011, "internal", terminal: false);

    /// <summary>4000: the tab lost track of this socket (an infrastructure fault, not the client's doing); reconnect with resume.</summary>
    public static readonly CloseReason Detached = new(4000, "detached", terminal: false);

    /// <summary>4008: no frame within twice the heartbeat interval; reconnect with backoff, with resume.</summary>
    public static readonly CloseReason HeartbeatTimeout = new(4008, "heartbeat_timeout", terminal: false);

    /// <summary>4010: a duplicated tab; the client mints a fresh tab id and reconnects at once.</summary>
    public static readonly CloseReason DuplicateTab = new(4010, "duplicate_tab", terminal: false);

    /// <summary>4013: the consumer is too slow, its bounded send queue overflowed; reconnect with backoff, with resume.</summary>
    public static readonly CloseReason TooSlow = new(4013, "too_slow", terminal: false);

    /// <summary>4029: rate limited; the client reconnects after <c>retryAfterMs</c> (see <see cref="RetryAfter"/>).</summary>
    public static readonly CloseReason RateLimited = new(4029, "rate_limited", terminal: false);

    /// <summary>4501: the session ended (logout, expiry, revoked); the client signs in again.</summary>
    public static readonly CloseReason SessionEnded = new(4501, "session_ended", terminal: true);

    /// <summary>4503: forbidden (a tab of another session, a channel not allowed).</summary>
    public static readonly CloseReason Forbidden = new(4503, "forbidden", terminal: true);

    /// <summary>4509: superseded by a newer connection of the same tab instance.</summary>
    public static readonly CloseReason Superseded = new(4509, "superseded", terminal: true);

    /// <summary>Every predefined close, in code order.</summary>
    public static readonly ImmutableArray<CloseReason> All =
    [
        Normal, GoingAway, BinaryFrame, ErrorStorm, TooLarge, InternalError, Detached, HeartbeatTimeout, DuplicateTab,
        TooSlow, RateLimited, SessionEnded, Forbidden, Superseded,
    ];

    private CloseReason(int code, string name, bool terminal, string? json = null)
    {
        Code = code;
        Name = name;
        Terminal = terminal;
        Json = json ?? (name.Length == 0 ? "" : $$"""{"code":"{{name}}"}""");
    }

    /// <summary>The WebSocket close code.</summary>
    public int Code { get; }

    /// <summary>The close reason's <c>code</c> (empty for the answer to a close the peer sent).</summary>
    public string Name { get; }

    /// <summary>Whether the client must not reconnect on its own.</summary>
    public bool Terminal { get; }

    /// <summary>The close reason sent on the wire: <c>{"code":"…"}</c>, with <c>retryAfterMs</c> where it carries one.</summary>
    public string Json { get; }

    /// <summary>This close with a <c>retryAfterMs</c> in its reason; build it once and keep it, it is not cached.</summary>
    public CloseReason RetryAfter(int retryAfterMs) =>
        new(Code, Name, Terminal, $$"""{"code":"{{Name}}","retryAfterMs":{{retryAfterMs}}}""");

    /// <summary>The answer to a close the peer sent: its code, no reason.</summary>
    public static CloseReason Echo(int code) => code == Normal.Code ? Normal : new(code, "", IsTerminal(code));

    /// <summary>
    /// The close a close command carries as code and reason JSON: the predefined value with that code and reason, else
    /// (a close this version does not know) one with that code and reason, named by the reason's <c>code</c>.
    /// </summary>
    public static CloseReason FromWire(int code, string json)
    {
        foreach (var known in All)
        {
            if (known.Code == code && known.Json == json)
            {
                return known;
            }
        }

        return new CloseReason(code, NameOf(json), IsTerminal(code), json);
    }

    private static bool IsTerminal(int code) => code is >= 4500 and <= 4999;

    private static string NameOf(string json)
    {
        try
        {
            using var reason = System.Text.Json.JsonDocument.Parse(json);
            return reason.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && reason.RootElement.TryGetProperty("code", out var name) && name.GetString() is { } value ? value : "";
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Json}";
}
