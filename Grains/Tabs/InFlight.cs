namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// One operation shared by the callers that arrive while it runs (a grain's interleaved requests waiting for the same
/// lease or check). The slot holds the operation only while it is running: an operation that completed synchronously
/// (a grain call whose response arrived before its caller reached the <c>await</c>) is never stored, and a completed
/// one is never handed out again. Storing it, then clearing the slot from the operation's own <c>finally</c>, leaves
/// a finished operation in the slot for good when it completes synchronously, because the clearing runs before the
/// assignment does.
/// </summary>
public static class InFlight
{
    /// <summary>The running operation in <paramref name="slot"/>, or a new one from <paramref name="start"/>.</summary>
    public static Task<T> Join<T>(ref Task<T>? slot, Func<Task<T>> start)
    {
        if (slot is { IsCompleted: false } running)
        {
            return running;
        }

        var started = start();
        slot = started.IsCompleted ? null : started;
        return started;
    }

    /// <inheritdoc cref="Join{T}(ref Task{T}?, Func{Task{T}})"/>
    public static Task Join(ref Task? slot, Func<Task> start)
    {
        if (slot is { IsCompleted: false } running)
        {
            return running;
        }

        var started = start();
        slot = started.IsCompleted ? null : started;
        return started;
    }
}
