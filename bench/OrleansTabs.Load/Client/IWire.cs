namespace OrleansTabs.Load.Client;

/// <summary>One server protocol as the load generator speaks it: the frames it sends and how it reads what arrives.</summary>
internal interface IWire
{
    /// <summary>The socket address of a tab.</summary>
    Uri SocketUri(Uri server, string tab, string instance);

    /// <summary>The first message after the upgrade, if the protocol has one (SignalR's handshake).</summary>
    byte[]? Handshake { get; }

    /// <summary>A heartbeat frame.</summary>
    byte[] Ping { get; }

    /// <summary>Joins a room.</summary>
    byte[] Join(string room);

    /// <summary>Sends a chat message with the client id derived from <paramref name="seq"/>.</summary>
    byte[] Send(string room, long seq, string text);

    /// <summary>Whether the protocol resumes a room after a reconnect (replays what was missed); else a reconnect joins again.</summary>
    bool Resumes { get; }

    /// <summary>Resumes one room stream after the given position (OrleansTabs protocol only).</summary>
    byte[] Resume(string stream, string epoch, long offset);

    /// <summary>Reads one WebSocket message and reports what it holds to the tab.</summary>
    void Dispatch(Tab tab, ReadOnlySpan<byte> message);
}
