namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// The room's stored head is not the one this activation expects: another activation wrote to it, or an earlier
/// append committed although its reply was lost. The activation must reload the log before writing again.
/// </summary>
public sealed class RoomLogConflictException(string room, long expectedHead, long storedHead)
    : Exception($"Room '{room}': expected head {expectedHead}, the log is at {storedHead}.")
{
    public long StoredHead { get; } = storedHead;
}
