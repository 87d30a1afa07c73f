namespace OrleansTabs.Load.Servers;

/// <summary>The servers compared side by side.</summary>
internal enum ServerKind
{
    OrleansTabs,
    Kestrel,
    SignalR,

    /// <summary>The SignalR peer scaled out: its Redis backplane on a redis-server of its own.</summary>
    SignalRRedis,
}

/// <summary>
/// A server as chosen on the command line: its kind, and the environment variables its .NET processes get on top of
/// their own. <c>orleanstabs@DOTNET_X=1@Y=2</c> is OrleansTabs with two settings changed, named so in the reports: a
/// setting compared with the same server without it, within one run.
/// </summary>
internal sealed record ServerChoice(ServerKind Kind, string Name, IReadOnlyDictionary<string, string> Environment)
{
    public static ServerChoice Of(ServerKind kind) => new(kind, kind.Name(), new Dictionary<string, string>());

    public static ServerChoice Parse(string text)
    {
        var parts = text.Trim().Split('@');
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in parts.Skip(1))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"'{setting}' in '{text}' is not NAME=value.");
            }

            environment[setting[..equals]] = setting[(equals + 1)..];
        }

        var kind = ServerKinds.Parse(parts[0]);
        return new ServerChoice(kind, environment.Count == 0 ? kind.Name() : text.Trim(), environment);
    }
}

/// <summary>Names on the command line and in reports.</summary>
internal static class ServerKinds
{
    public static string Name(this ServerKind kind) => kind switch
    {
        ServerKind.OrleansTabs => "orleanstabs",
        ServerKind.Kestrel => "kestrel",
        ServerKind.SignalRRedis => "signalr-redis",
        _ => "signalr",
    };

    public static ServerKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "orleanstabs" => ServerKind.OrleansTabs,
        "kestrel" or "kestrelbroadcast" => ServerKind.Kestrel,
        "signalr" or "signalrchat" => ServerKind.SignalR,
        "signalr-redis" => ServerKind.SignalRRedis,
        _ => throw new ArgumentException($"Unknown server '{name}' (orleanstabs, kestrel, signalr, signalr-redis)."),
    };

    /// <summary>Whether it is the SignalR hub (with or without its backplane).</summary>
    public static bool IsSignalR(this ServerKind kind) => kind is ServerKind.SignalR or ServerKind.SignalRRedis;

    /// <summary>Whether it runs on the split topology: several front-ends that share their rooms (a cluster or a backplane).</summary>
    public static bool Scales(this ServerKind kind) => kind is ServerKind.OrleansTabs or ServerKind.SignalRRedis;

    /// <summary>The wire protocol the load client speaks to that server.</summary>
    public static Client.IWire Wire(this ServerKind kind) =>
        kind.IsSignalR() ? Client.SignalRWire.Instance : Client.OrleansTabsWire.Instance;
}
