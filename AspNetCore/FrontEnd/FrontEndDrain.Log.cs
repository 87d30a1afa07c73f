namespace OrleansTabs.AspNetCore.FrontEnd;

internal sealed partial class FrontEndDrain
{
    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Front-end draining: not ready, new sockets refused, open sockets closed with 1001 over {Window}")]
    private static partial void LogDrainBegins(ILogger logger, TimeSpan window);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Front-end drained: {Sockets} sockets closed with 1001")]
    private static partial void LogDrained(ILogger logger, int sockets);
}
