namespace OrleansTabs;

/// <summary>The WebSocket close codes of docs/protocol.md section 4: 4000-4499 reconnect with resume, 4500-4999 terminal.</summary>
public static class CloseCodes
{
    public const int Normal = 1000;

    /// <summary>The tab lost track of this socket (an infrastructure fault, not the client's doing): reconnect with resume.</summary>
    public const int Detached = 4000;

    public const int GoingAway = 1001;
    public const int ProtocolAbuse = 1008;
    public const int TooLarge = 1009;
    public const int InternalError = 1011;
    public const int HeartbeatTimeout = 4008;
    public const int DuplicateTab = 4010;
    public const int TooSlow = 4013;
    public const int RateLimited = 4029;
    public const int SessionEnded = 4501;
    public const int Forbidden = 4503;
    public const int Superseded = 4509;

    /// <summary>The close reason: a short JSON object <c>{"code":"…"}</c> (at most 123 bytes).</summary>
    public static string Reason(string code, int? retryAfterMs = null) => retryAfterMs is { } ms
        ? $$"""{"code":"{{code}}","retryAfterMs":{{ms}}}"""
        : $$"""{"code":"{{code}}"}""";
}
