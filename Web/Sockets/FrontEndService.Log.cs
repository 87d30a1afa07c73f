namespace OrleansTabs.Web.Sockets;

public sealed partial class FrontEndService
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Front-end {FrontEnd} could not reach the directory")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string frontEnd);
}
