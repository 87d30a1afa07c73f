namespace OrleansTabs.AspNetCore.Transport;

internal sealed partial class TabSocket
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Socket {ConnectionId} closing with {Code} {Reason}")]
    private static partial void LogClosing(ILogger logger, string connectionId, int code, string reason);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Socket {ConnectionId} aborted: a write was pending for longer than the write timeout")]
    private static partial void LogWriteStalled(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Socket {ConnectionId} aborted: nothing arrived for {Seconds:F0} s after a keep-alive ping")]
    private static partial void LogKeepAliveTimedOut(ILogger logger, string connectionId, double seconds);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "Socket {ConnectionId} closing with 4013: its oldest queued frame waited for longer than the send queue's delay bound")]
    private static partial void LogSendQueueBehind(ILogger logger, string connectionId);
}
