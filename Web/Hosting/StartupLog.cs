namespace OrleansTabs.Web.Hosting;

/// <summary>Start-up messages.</summary>
public static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "OrleansTabs is running: open {Url} (Orleans dashboard at {Dashboard})")]
    public static partial void Ready(ILogger logger, string url, string dashboard);
}
