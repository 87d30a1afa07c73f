namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>The route prefixes under <c>/ws/</c>; each decides its contract.</summary>
internal static class Channels
{
    /// <summary>Bidirectional chat: client message ids, acks and resume.</summary>
    public const string Chat = "chat";

    /// <summary>Server push only.</summary>
    public const string Dashboard = "dashboard";

    public static bool IsKnown(string channel) => channel is Chat or Dashboard;
}
