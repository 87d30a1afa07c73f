namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>The <c>code</c> values of <c>error</c> frames (docs/protocol.md section 3).</summary>
internal static class ErrorCodes
{
    public const string BadJson = "bad_json";
    public const string UnknownType = "unknown_type";
    public const string MissingField = "missing_field";
    public const string InvalidField = "invalid_field";
    public const string NotAllowed = "not_allowed";
    public const string NotMember = "not_member";
    public const string RateLimited = "rate_limited";
    public const string TooLarge = "too_large";
    public const string Internal = "internal";
    public const string Forbidden = "forbidden";
    public const string UnknownMethod = "unknown_method";
}
