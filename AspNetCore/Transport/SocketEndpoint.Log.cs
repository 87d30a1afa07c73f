namespace OrleansTabs.AspNetCore.Transport;

internal static partial class SocketEndpoint
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Socket {ConnectionId} failed")]
    private static partial void LogSocketFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The connect of tab {Tab} could not be authorized")]
    private static partial void LogConnectHookFailed(ILogger logger, Exception exception, string tab);
}
