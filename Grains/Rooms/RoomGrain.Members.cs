using OrleansTabs.Grains.Storage;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// Member locations are persisted in group commits too: changes that arrive while one write is in flight (a hundred
/// tabs joining or reconnecting at once) go out together in the next, one round trip for all of them. Each change is
/// answered once the write holding it is done.
/// </summary>
public sealed partial class RoomGrain
{
    private Dictionary<string, string?> _memberChanges = new(StringComparer.Ordinal);
    private GroupCommit? _memberWrites;

    /// <summary>Records a member's location (null: removed) durably, with whatever other changes are pending.</summary>
    private Task PersistMemberAsync(string tabKey, string? location)
    {
        _memberChanges[tabKey] = location;
        return (_memberWrites ??= new GroupCommit(WriteMembersAsync)).WriteAsync();
    }

    private Task WriteMembersAsync()
    {
        var changes = _memberChanges;
        _memberChanges = new Dictionary<string, string?>(StringComparer.Ordinal);
        return log.SetMembersAsync(_room, changes);
    }
}
