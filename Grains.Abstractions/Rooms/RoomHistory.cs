namespace OrleansTabs.Rooms;

/// <summary>The bound of a <c>history</c> page (docs/protocol.md section 3): larger limits are clamped to it.</summary>
public static class RoomHistory
{
    /// <summary>The most messages one history page returns.</summary>
    public const int MaxLimit = 200;
}
