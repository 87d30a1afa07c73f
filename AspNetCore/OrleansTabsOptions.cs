namespace OrleansTabs;

/// <summary>
/// What a front-end's code sets when it adds OrleansTabs (<c>services.AddOrleansTabs(options => ...)</c>). The
/// rest of the front-end's settings are bound from <c>OrleansTabs:*</c> (docs/deployment.md lists them).
/// </summary>
public sealed class OrleansTabsOptions
{
    /// <summary>
    /// The claim types of the sign-in principal that the session keeps and shows to the application's hooks as
    /// <c>TabContext.Claims</c>. <c>sub</c>, <c>name</c> and <c>role</c> by default; a claim mapped by the host's scheme
    /// (<c>ClaimTypes.NameIdentifier</c>, <c>ClaimTypes.Name</c>, <c>ClaimTypes.Role</c>) is kept under its short name.
    /// </summary>
    public ISet<string> CarriedClaims { get; } = new HashSet<string>(StringComparer.Ordinal) { "sub", "name", "role" };

    /// <summary>
    /// Whether <c>POST /auth/login</c> signs anyone in by name (the development sign-in). Off unless this or
    /// <c>OrleansTabs:Auth:DevelopmentLogin</c> turns it on; the configured value, when set, wins.
    /// </summary>
    public bool DevelopmentLogin { get; set; }
}
