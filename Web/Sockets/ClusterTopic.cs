namespace OrleansTabs.Web.Sockets;

/// <summary>The dashboard topic that every dashboard tab gets: live cluster figures.</summary>
public static class ClusterTopic
{
    /// <summary>The topic name.</summary>
    public const string Name = "cluster";
}
