using Microsoft.Extensions.Logging;

namespace OrleansTabs.Grains.FrontEnds;

public sealed partial class FrontEndDirectoryGrain
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Front-end {FrontEnd} registered")]
    private static partial void LogRegistered(ILogger logger, string frontEnd);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Front-end {FrontEnd} removed: lease lapsed")]
    private static partial void LogLapsed(ILogger logger, string frontEnd);

    /// <summary>A front-end that stops cleanly says so: an expected event, not a warning.</summary>
    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Front-end {FrontEnd} removed: shut down")]
    private static partial void LogShutDown(ILogger logger, string frontEnd);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Front-end directory did not run for {Pause}: the {LeaseCount} leases are extended by as much, since no front-end could renew meanwhile")]
    private static partial void LogPaused(ILogger logger, TimeSpan pause, int leaseCount);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Topic {Topic} refused: the cluster has {MaxTopics} topics")]
    private static partial void LogTopicRefused(ILogger logger, string topic, int maxTopics);
}
