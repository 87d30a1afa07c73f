namespace OrleansTabs.AspNetCore.FrontEnd;

internal sealed partial class FrontEndService
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Front-end {FrontEnd} could not reach the directory")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string frontEnd);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Front-end {FrontEnd} did not run for {Pause}: no socket is closed for silence or a stalled write for the next {Grace}")]
    private static partial void LogPaused(ILogger logger, string frontEnd, TimeSpan pause, TimeSpan grace);
}
