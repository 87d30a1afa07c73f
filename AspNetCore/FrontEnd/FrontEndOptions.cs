namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>How a front-end keeps its registration in the cluster, bound from <c>OrleansTabs:FrontEnd</c>.</summary>
public sealed class FrontEndOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:FrontEnd";

    /// <summary>How often the front-end renews its lease (and reports its figures).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a lease lasts; a front-end that misses renewals for this long counts as dead.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(8);
}
