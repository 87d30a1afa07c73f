namespace OrleansTabs.Web.Hosting;

/// <summary>Start-up messages.</summary>
public static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "OrleansTabs is running: open {Url} (Orleans dashboard at {Url}/orleans)")]
    public static partial void Ready(ILogger logger, string url);
}
