namespace OrleansTabs.Web.Sockets;

public sealed partial class TabSocket
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Socket {ConnectionId} closing with {Code} {Reason}")]
    private static partial void LogClosing(ILogger logger, string connectionId, int code, string reason);
}
