namespace OrleansTabs.Web.Auth;

/// <summary>Sign-in settings, bound from <c>OrleansTabs:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Auth";

    /// <summary>
    /// Whether <c>POST /auth/login</c> signs anyone in by name (development sign-in). Unset, it is on in the Development
    /// environment only.
    /// </summary>
    public bool DevelopmentLogin { get; set; }

    /// <summary>The name of the encrypted session cookie.</summary>
    public string CookieName { get; set; } = "orleanstabs.session";
}
