namespace OrleansTabs.AspNetCore.Hosting;

/// <summary>Where <c>MapOrleansTabs</c> put the endpoints, for the middleware that must know the socket paths.</summary>
internal sealed class OrleansTabsRoutes
{
    private PathString _sockets = "/ws";

    /// <summary>Whether <c>MapOrleansTabs</c> has run.</summary>
    public bool Mapped { get; private set; }

    /// <summary>The WebSocket routes' common path: <c>{prefix}/ws</c>.</summary>
    public PathString Sockets => _sockets;

    /// <summary>Records the prefix; called once, while the host is being built.</summary>
    public void Map(PathString prefix)
    {
        if (Mapped)
        {
            throw new InvalidOperationException("MapOrleansTabs was called twice: map the OrleansTabs endpoints once.");
        }

        _sockets = prefix.Add("/ws");
        Mapped = true;
    }

    /// <summary>Whether a request is for a WebSocket route (it authenticates from the session by itself).</summary>
    public bool IsSocketPath(HttpContext context) => context.Request.Path.StartsWithSegments(_sockets, StringComparison.Ordinal);
}
