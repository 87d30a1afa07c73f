using System.Diagnostics;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// The front-end's activity source (<c>OrleansTabs.Web</c>): one span per client frame handled, named by channel and
/// type (<c>chat.send</c>, <c>chat.join</c>, <c>dashboard.ping</c>...). Without a listener (trace export off) it creates
/// nothing: <see cref="StartFrame"/> returns null after one check.
/// </summary>
internal static class FrontEndTracing
{
    /// <summary>The activity source name.</summary>
    public const string SourceName = "OrleansTabs.Web";

    /// <summary>The source.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// Starts the span of one client frame as the root of a trace of its own (a socket lives for hours; its frames are
    /// not children of the upgrade request), linked to the socket's request span when there is one. Null when nobody
    /// listens. Call it from the async method that handles the frame: the current activity it changes is that method's.
    /// </summary>
    public static Activity? StartFrame(string channel, string type, string tab)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var socketSpan = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity(
            Name(channel, type),
            ActivityKind.Server,
            parentContext: default,
            links: socketSpan is null ? null : [new ActivityLink(socketSpan.Context)]);
        activity?.SetTag("orleanstabs.tab", tab);
        return activity;
    }

    private static string Name(string channel, string type) => channel == Channels.Chat
        ? type switch
        {
            "send" => "chat.send",
            "join" => "chat.join",
            "leave" => "chat.leave",
            "history" => "chat.history",
            "who" => "chat.who",
            "resume" => "chat.resume",
            "ack" => "chat.ack",
            "ping" => "chat.ping",
            "state" => "chat.state",
            _ => "chat.frame",
        }
        : type switch
        {
            "resume" => "dashboard.resume",
            "ack" => "dashboard.ack",
            "ping" => "dashboard.ping",
            "state" => "dashboard.state",
            _ => "dashboard.frame",
        };
}
