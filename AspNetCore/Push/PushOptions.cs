namespace OrleansTabs.AspNetCore.Push;

/// <summary>The server-to-server push API, bound from <c>OrleansTabs:Push</c>.</summary>
public sealed class PushOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Push";

    /// <summary>The key callers send in <c>X-Push-Key</c>. When unset the push API refuses every call.</summary>
    public string? ApiKey { get; set; }
}
