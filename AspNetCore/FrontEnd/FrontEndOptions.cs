namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>How a front-end keeps its registration in the cluster and how it drains, bound from <c>OrleansTabs:FrontEnd</c>.</summary>
public sealed class FrontEndOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:FrontEnd";

    /// <summary>How often the front-end renews its lease (and reports its figures).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a lease lasts; a front-end that misses renewals for this long counts as dead.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// How long a stopping front-end takes to close its open sockets (1001, going away): the closes are spread evenly
    /// over this window, so that their tabs resume on the other front-ends gradually instead of in one wave. Zero
    /// closes them all at once. The host's shutdown timeout is raised to cover it.
    /// </summary>
    public TimeSpan DrainWindow { get; set; } = TimeSpan.FromSeconds(10);
}
