using OrleansTabs.Grains.Storage;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// A store durability the test holds: open, every wait is over at once; closed, waits stay pending until it opens again,
/// and the first wait of a closing is reported, so a test can see that a write is held by it.
/// </summary>
public sealed class GatedDurability : IStoreDurability
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _closed;
    private TaskCompletionSource _waited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a wait arrives while the gate is closed.</summary>
    public Task Waited
    {
        get
        {
            lock (_gate)
            {
                return _waited.Task;
            }
        }
    }

    public ValueTask WaitAsync(CancellationToken cancellation = default)
    {
        lock (_gate)
        {
            if (_closed is null)
            {
                return default;
            }

            _waited.TrySetResult();
            return new ValueTask(_closed.Task.WaitAsync(cancellation));
        }
    }

    /// <summary>Holds every wait from now on until <see cref="Open"/>.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets every held wait and every later one go.</summary>
    public void Open()
    {
        TaskCompletionSource? closed;
        lock (_gate)
        {
            (closed, _closed) = (_closed, null);
        }

        closed?.TrySetResult();
    }
}
