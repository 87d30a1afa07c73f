using Microsoft.Extensions.Logging;

namespace OrleansTabs.Grains.Rooms;

public sealed partial class RoomGrain
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Room {Room}: a batch of {Count} posts could not be written")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string room, int count);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Room {Room}: front-end {FrontEnd} was not in the directory for {Timeout}; its member tabs count as disconnected")]
    private static partial void LogFrontEndNotFound(ILogger logger, string room, string frontEnd, TimeSpan timeout);
}
