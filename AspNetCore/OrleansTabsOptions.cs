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
    /// The authentication schemes whose principal <c>POST /auth/login</c> turns into a session, asked in this order;
    /// empty (the default), every scheme of the host but OrleansTabs' own, in the order they were added. The first that
    /// authenticates the request signs it in; one that refuses its credentials ends the sign-in with 401.
    /// </summary>
    public IList<string> SignInSchemes { get; } = new List<string>();

    /// <summary>
    /// Whether <c>POST /auth/login</c> signs anyone in by name (the development sign-in). Off unless this or
    /// <c>OrleansTabs:Auth:DevelopmentLogin</c> turns it on; the configured value, when set, wins.
    /// </summary>
    public bool DevelopmentLogin { get; set; }
}
