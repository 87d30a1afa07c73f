using Microsoft.Extensions.Logging;

namespace OrleansTabs.Grains.Tabs;

public sealed partial class TabGrain
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Tab {Tab} ended ({Reason})")]
    private static partial void LogEnded(ILogger logger, string tab, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Tab {Tab} took its socket back from front-end {FrontEnd}, whose lease had lapsed")]
    private static partial void LogReattached(ILogger logger, string tab, string frontEnd);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Tab {Tab} could not be forgotten after its retention; trying again later")]
    private static partial void LogExpireFailed(ILogger logger, Exception exception, string tab);
}
