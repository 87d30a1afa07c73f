using Microsoft.Extensions.Logging;

namespace OrleansTabs.Grains.Sessions;

public sealed partial class SessionGrain
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Session {Session} started for {User}")]
    private static partial void LogStarted(ILogger logger, string session, string user);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Session {Session} ended ({Reason}); closing {TabCount} tabs")]
    private static partial void LogEnded(ILogger logger, string session, string reason, int tabCount);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Could not tell tab {Tab} that its session ended")]
    private static partial void LogTabEndFailed(ILogger logger, Exception exception, string tab);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Session {Session}: the expiry reminder could not be removed")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string session);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Session {Session}: the sockets on front-end {FrontEnd} could not be closed (their tabs are fenced)")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, string session, string frontEnd);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Tab {Tab} did not report its activity; a push passes it over")]
    private static partial void LogActivityFailed(ILogger logger, Exception exception, string tab);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Session {Session}: tab {Tab} refused, the session has {MaxTabs} tabs")]
    private static partial void LogTooManyTabs(ILogger logger, string session, string tab, int maxTabs);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Tab {Tab}: instance {Instance} refused as a duplicate of live instance {LiveInstance}")]
    private static partial void LogDuplicate(ILogger logger, string tab, string instance, string liveInstance);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Session {Session}: the server {Change} room {Room}")]
    private static partial void LogServerMembership(ILogger logger, string session, string change, string room);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Session {Session}: a push for its next tab was not kept: {Kept} are kept already (at most {Max}, or their bytes are at the limit)")]
    private static partial void LogPushNotKept(ILogger logger, string session, int kept, int max);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Tab {Tab} was not told of the server's membership of room {Room}; it takes it on its next connect")]
    private static partial void LogServerMembershipFailed(ILogger logger, Exception exception, string tab, string room);
}
