namespace OrleansTabs.AspNetCore.Auth;

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

    /// <summary>
    /// The most <c>POST /auth/login</c> requests one client address may make per minute on one front-end (IPv6: per
    /// /64 prefix); more get 429 with <c>Retry-After</c>. Every request counts, refused or not.
    /// </summary>
    public int LoginsPerMinute { get; set; } = 600;

    /// <summary>The name of the encrypted session cookie.</summary>
    public string CookieName { get; set; } = "orleanstabs.session";
}
