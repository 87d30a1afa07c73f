namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// A read from another grain (a call without effects, so safe to repeat at any time), or a call whose repeat only errs on
/// the safe side (a send lease: a late first answer leaves budget unused), asked once more when its first attempt gets no
/// answer in time.
/// Right after a whole cluster restarts, Orleans can lose a single request between two silos; its caller then waits for
/// the full response timeout (30 s), and a tab grain, which takes one request at a time, would hold every later frame
/// of its socket behind it. The second attempt is answered by whichever activation the cluster has now; the first
/// may still answer, and its result (or fault) is then dropped.
/// </summary>
public static class Repeatable
{
    /// <summary>
    /// Calls <paramref name="call"/>; if it has not completed within <paramref name="attempt"/>, tells
    /// <paramref name="retrying"/>, calls it again and returns that answer.
    /// </summary>
    public static async Task<T> CallAsync<TState, T>(TState state, Func<TState, Task<T>> call, TimeSpan attempt, TimeProvider clock, Action<TState> retrying)
    {
        var first = call(state);
        try
        {
            return await first.WaitAsync(attempt, clock);
        }
        catch (TimeoutException)
        {
            // Observed, so that a late fault of the abandoned attempt is not reported as unobserved.
            first.Ignore();
        }

        retrying(state);
        return await call(state);
    }
}
