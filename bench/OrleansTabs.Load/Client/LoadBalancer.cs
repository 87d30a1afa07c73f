using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansTabs.Load.Client;

/// <summary>
/// What a reverse proxy in front of several front-ends does with tabs' connections, by nginx's defaults
/// (<c>proxy_next_upstream error</c>, <c>max_fails=1</c>, <c>fail_timeout=10s</c>): connections go round robin over the
/// front-ends; a connection a front-end refuses is passed on to the next one at once (the browser sees nothing), and
/// the refusing front-end gets no new connections for the fail timeout.
/// </summary>
internal sealed class LoadBalancer(IReadOnlyList<Uri> upstreams, TimeSpan failTimeout)
{
    private readonly long[] _downUntil = new long[upstreams.Count];

    /// <summary>How many front-ends it spreads over.</summary>
    public int Count => upstreams.Count;

    /// <summary>Connections passed on to another front-end after a refusal.</summary>
    public int PassedOn => Volatile.Read(ref _passedOn);

    private int _passedOn;

    /// <summary>The front-end for <paramref name="key"/> (round robin), skipping those marked down; the key's own when all are.</summary>
    public Uri Pick(int key)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < upstreams.Count; i++)
        {
            var index = (key + i) % upstreams.Count;
            if (now >= Volatile.Read(ref _downUntil[index]))
            {
                return upstreams[index];
            }
        }

        return upstreams[key % upstreams.Count];
    }

    /// <summary>
    /// Whether <paramref name="failure"/> is <paramref name="upstream"/> refusing the connection; if it is, the front-end is
    /// marked down for the fail timeout and the caller passes the connection on (to <see cref="Pick"/>) without backoff.
    /// </summary>
    public bool Refused(Uri upstream, Exception failure)
    {
        if (failure is not SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return false;
        }

        for (var i = 0; i < upstreams.Count; i++)
        {
            if (upstreams[i] == upstream)
            {
                Volatile.Write(ref _downUntil[i], Stopwatch.GetTimestamp() + (long)(failTimeout.TotalSeconds * Stopwatch.Frequency));
            }
        }

        Interlocked.Increment(ref _passedOn);
        return true;
    }
}
