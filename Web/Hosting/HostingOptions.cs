namespace OrleansTabs.Web.Hosting;

/// <summary>How the front-end reaches the cluster, bound from <c>OrleansTabs:Hosting</c>.</summary>
public sealed class HostingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Hosting";

    /// <summary>The <see cref="Mode"/> that co-hosts a silo.</summary>
    public const string AllInOneMode = "AllInOne";

    /// <summary>The <see cref="Mode"/> that joins an existing cluster as a client.</summary>
    public const string ClientMode = "Client";

    /// <summary>Whether this front-end co-hosts a silo: <see cref="Mode"/> says so, or, unset, no Redis is configured.</summary>
    public bool IsAllInOne(string? redisConnectionString) =>
        Mode is null ? string.IsNullOrWhiteSpace(redisConnectionString) : Mode.Equals(AllInOneMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>AllInOne</c> co-hosts a silo (default when <c>ConnectionStrings:Redis</c> is unset, with an embedded Garnet server);
    /// <c>Client</c> joins an existing cluster as an Orleans client (default when it is set).
    /// </summary>
    public string? Mode { get; set; }

    /// <summary>Port of the embedded Garnet server in all-in-one mode (0: any free port).</summary>
    public int GarnetPort { get; set; }

    /// <summary>
    /// Data directory of the embedded Garnet server, relative to the content root; empty keeps data in memory only.
    /// </summary>
    public string GarnetDataDirectory { get; set; } = "App_Data/garnet";

    /// <summary>
    /// Whether what the server acknowledges (an acked send, a push taken, a session's records) waits until the embedded
    /// Garnet's log in the data directory holds it on disk (the default: an acked send survives a crash). Off,
    /// acknowledgements do not wait for the commit that follows each write, as with Redis' <c>appendfsync everysec</c>:
    /// a crash may lose the latest acks.
    /// </summary>
    public bool GarnetCommitWait { get; set; } = true;

    /// <summary>
    /// Browser origins (like <c>https://app.example.com</c>) of apps served elsewhere that may call the HTTP endpoints
    /// with the session cookie (CORS with credentials); empty (the default) allows none. Their WebSockets also need the
    /// origin in <c>OrleansTabs:Sockets:AllowedOrigins</c>.
    /// </summary>
    public string[] CorsOrigins { get; set; } = [];
}
