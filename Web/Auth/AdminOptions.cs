namespace OrleansTabs.Web.Auth;

/// <summary>Who may open the Orleans dashboard outside Development, bound from <c>OrleansTabs:Admin</c>.</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Admin";

    /// <summary>A role that grants access (empty: none does; then <see cref="Claim"/> must be set).</summary>
    public string? Role { get; set; } = "admin";

    /// <summary>A claim type that grants access as well (unset: the role alone decides).</summary>
    public string? Claim { get; set; }

    /// <summary>The value <see cref="Claim"/> must have (unset: any value).</summary>
    public string? ClaimValue { get; set; }
}
