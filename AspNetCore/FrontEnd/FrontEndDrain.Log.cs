namespace OrleansTabs.AspNetCore.FrontEnd;

internal sealed partial class FrontEndDrain
{
    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Front-end draining: not ready, new sockets refused, open sockets closed with 1001 over {Window}")]
    private static partial void LogDrainBegins(ILogger logger, TimeSpan window);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Front-end drained: {Sockets} sockets closed with 1001")]
    private static partial void LogDrained(ILogger logger, int sockets);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Information, Message = "Front-end drained without waiting for every session to record its tabs' detaches")]
    private static partial void LogSettleIncomplete(ILogger logger, Exception exception);
}
