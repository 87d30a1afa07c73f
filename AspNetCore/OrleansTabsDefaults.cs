namespace OrleansTabs;

/// <summary>The names OrleansTabs registers in a host under its own name, so that it never takes one of the host's.</summary>
public static class OrleansTabsDefaults
{
    /// <summary>The authentication scheme of the session cookie (and of the session token, <c>Authorization: Session</c>).</summary>
    public const string AuthenticationScheme = "OrleansTabs.Session";

    /// <summary>
    /// The health-check tag of readiness (<c>/health/ready</c>): the front-end's drain check carries it, so that a host
    /// which maps its ready endpoint to the checks with this tag stops being ready as soon as the front-end drains.
    /// </summary>
    public const string ReadyTag = "ready";
}
