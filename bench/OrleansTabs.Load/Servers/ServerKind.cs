namespace OrleansTabs.Load.Servers;

/// <summary>The servers compared side by side.</summary>
internal enum ServerKind
{
    OrleansTabs,
    Kestrel,
    SignalR,
}

/// <summary>Names on the command line and in reports.</summary>
internal static class ServerKinds
{
    public static string Name(this ServerKind kind) => kind switch
    {
        ServerKind.OrleansTabs => "orleanstabs",
        ServerKind.Kestrel => "kestrel",
        _ => "signalr",
    };

    public static ServerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "orleanstabs" => ServerKind.OrleansTabs,
        "kestrel" or "kestrelbroadcast" => ServerKind.Kestrel,
        "signalr" or "signalrchat" => ServerKind.SignalR,
        _ => throw new ArgumentException($"Unknown server '{name}' (orleanstabs, kestrel, signalr)."),
    };

    /// <summary>The wire protocol the load client speaks to that server.</summary>
    public static Client.IWire Wire(this ServerKind kind) =>
        kind == ServerKind.SignalR ? Client.SignalRWire.Instance : Client.OrleansTabsWire.Instance;
}
