namespace OrleansTabs.Peers;

/// <summary>
/// A session store shared by the servers of one deployment, so that a cookie signed in on one server is valid on
/// every other (a load balancer sends a session's tabs to any of them).
/// </summary>
public interface ISharedSessions
{
    /// <summary>Records a new session.</summary>
    Task SaveAsync(string token, string user, CancellationToken cancellation);

    /// <summary>The user of a session signed in on any server, or null.</summary>
    Task<string?> FindAsync(string token, CancellationToken cancellation);
}
