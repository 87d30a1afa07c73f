using OrleansTabs.ServiceDefaults;
using System.Net;

namespace OrleansTabs.ServiceDefaults;

/// <summary>Where and as what a process joins the Orleans cluster, bound from <c>Orleans</c>.</summary>
public sealed class OrleansTabsClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Orleans";

    /// <summary>The section of Orleans' cluster membership settings (<c>ClusterMembershipOptions</c>), over this project's defaults.</summary>
    public const string MembershipSectionName = "Orleans:Membership";

    /// <summary>The cluster (deployment) id shared by every silo and front-end of one cluster.</summary>
    public string ClusterId { get; set; } = "orleanstabs";

    /// <summary>The service id: grain state keys include it, so it must stay the same across deployments.</summary>
    public string ServiceId { get; set; } = "orleanstabs";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port that Orleans clients (split-mode front-ends) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address a silo advertises; loopback when unset, which suits a single machine.</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>
    /// Whether a silo runs with Orleans' Kubernetes hosting: it takes its name from the pod, advertises the pod's IP
    /// unless <see cref="AdvertisedIp"/> is set, and watches its cluster's pods so that the silo of a deleted pod is
    /// declared dead at once instead of after missed probes. Off by default, so compose and local runs are unchanged;
    /// on, the host refuses to start outside a pod.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>The advertised address, parsed.</summary>
    public IPAddress AdvertisedAddress() =>
        string.IsNullOrWhiteSpace(AdvertisedIp) ? IPAddress.Loopback : IPAddress.Parse(AdvertisedIp);
}
