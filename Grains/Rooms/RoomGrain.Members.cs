namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// Member locations are persisted in group commits too: changes that arrive while one write is in flight (a hundred
/// tabs joining or reconnecting at once) go out together in the next, one round trip for all of them. Each change is
/// answered once the write holding it is done.
/// </summary>
public sealed partial class RoomGrain
{
    private Dictionary<string, string?> _memberChanges = new(StringComparer.Ordinal);
    private TaskCompletionSource? _memberChangesWritten;
    private bool _writingMembers;

    /// <summary>Records a member's location (null: removed) durably, with whatever other changes are pending.</summary>
    private Task PersistMemberAsync(string tabKey, string? location)
    {
        _memberChanges[tabKey] = location;
        _memberChangesWritten ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = _memberChangesWritten.Task;
        if (!_writingMembers)
        {
            // Set before the call: a write that completes synchronously clears it again in its finally.
            _writingMembers = true;
            WriteMembersAsync().Ignore();
        }

        return written;
    }

    private async Task WriteMembersAsync()
    {
        try
        {
            while (_memberChanges.Count > 0)
            {
                var changes = _memberChanges;
                var written = _memberChangesWritten!;
                _memberChanges = new Dictionary<string, string?>(StringComparer.Ordinal);
                _memberChangesWritten = null;
                try
                {
                    await log.SetMembersAsync(_room, changes);
                    written.TrySetResult();
                }
                catch (Exception ex)
                {
                    written.TrySetException(ex);
                }
            }
        }
        finally
        {
            _writingMembers = false;
        }
    }
}
