namespace OrleansTabs;

/// <summary>The names OrleansTabs registers in a host under its own name, so that it never takes one of the host's.</summary>
public static class OrleansTabsDefaults
{
    /// <summary>The authentication scheme of the session cookie (and of the session token, <c>Authorization: Session</c>).</summary>
    public const string AuthenticationScheme = "OrleansTabs.Session";
}
