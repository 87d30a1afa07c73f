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

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Tab {Tab}: a call to room {Room} got no answer within {Timeout}; asking again")]
    private static partial void LogRoomCallRetried(ILogger logger, string tab, string room, TimeSpan timeout);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Tab {Tab}: a send lease from its session got no answer within {Timeout}; asking again")]
    private static partial void LogLeaseRetried(ILogger logger, string tab, TimeSpan timeout);
}
