using Microsoft.Extensions.Logging;

namespace OrleansTabs.Grains.Rooms;

public sealed partial class RoomGrain
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Room {Room}: a batch of {Count} posts could not be written")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string room, int count);
}
