namespace OrleansTabs.Grains.Storage;

/// <summary>
/// A grain's group commit: one write at a time, and every request made while a write is in flight is served by the
/// next one, a single round trip for all of them. Each request completes once a write that began after it is done, so
/// a caller that changed the grain's state and then asked is answered only when its change is stored. The grain's
/// turns are never concurrent: <paramref name="write"/> runs in them and takes what is pending before its first await.
/// </summary>
/// <param name="write">Writes whatever is pending when it is called.</param>
public sealed class GroupCommit(Func<Task> write)
{
    private TaskCompletionSource? _next;
    private bool _writing;

    /// <summary>Asks for a write of the state as it is now; completes when that write is done (or faults with it).</summary>
    public Task WriteAsync()
    {
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = _next.Task;
        if (!_writing)
        {
            // Set before the call: a write that completes synchronously clears it again in its finally.
            _writing = true;
            WriteBatchesAsync().Ignore();
        }

        return written;
    }

    private async Task WriteBatchesAsync()
    {
        try
        {
            while (_next is { } batch)
            {
                _next = null;
                try
                {
                    await write();
                    batch.TrySetResult();
                }
                catch (Exception ex)
                {
                    batch.TrySetException(ex);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
