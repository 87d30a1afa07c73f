namespace OrleansTabs;

/// <summary>
/// The <c>code</c> values of <c>error</c> frames (docs/protocol.md section 3), in one place for every side that refuses
/// a frame: the front-end for what it checks itself, the tab grain for what it decides (<see cref="Tabs.FrameVerdict"/>).
/// </summary>
public static class ErrorCodes
{
    /// <summary>The frame is not a JSON object.</summary>
    public const string BadJson = "bad_json";

    /// <summary>The frame's <c>type</c> is not one of the protocol's.</summary>
    public const string UnknownType = "unknown_type";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "missing_field";

    /// <summary>A field has a value the frame may not carry.</summary>
    public const string InvalidField = "invalid_field";

    /// <summary>The frame is not allowed here (a <c>resume</c> after the first frame, a chat frame on a dashboard).</summary>
    public const string NotAllowed = "not_allowed";

    /// <summary>The tab has not joined the room the frame names.</summary>
    public const string NotMember = "not_member";

    /// <summary>Over a rate: the socket's frames, or the session's sends (then with <c>retryAfterMs</c>).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A field is longer than the protocol allows.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The server could not process the frame; it may be retried.</summary>
    public const string Internal = "internal";

    /// <summary>The frame is refused by a rule of the server or of the application's authorizer.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A <c>call</c> names no method the application handles.</summary>
    public const string UnknownMethod = "unknown_method";
}
