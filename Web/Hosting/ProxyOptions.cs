namespace OrleansTabs.Web.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the front-end believes, bound from
/// <c>OrleansTabs:Hosting:ForwardedHeaders</c>. Behind a proxy that terminates TLS, a forwarded <c>https</c> makes the
/// request (and so the session cookie, the Origin check) https. Both lists empty: loopback proxies only.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Hosting:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}
