namespace OrleansTabs.AspNetCore.Protocol;

internal sealed partial class TabProtocol
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Socket {ConnectionId}: a client frame failed")]
    private static partial void LogFrameFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Socket {ConnectionId}: the application's authorizer failed on a {Frame}")]
    private static partial void LogHookFailed(ILogger logger, Exception exception, string connectionId, string frame);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Socket {ConnectionId}: the handler of method {Method} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string connectionId, string method);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Socket {ConnectionId}: the handler of method {Method} threw TabCallException with code {Code}, which is not [a-z][a-z0-9_]{{0,31}}; answered internal")]
    private static partial void LogCallCodeInvalid(ILogger logger, string connectionId, string method, string code);
}
