using Microsoft.Extensions.Logging;

namespace OrleansTabs;

/// <summary>
/// The one retry policy of grain calls, on the front-ends and in the grains alike. Only calls that are safe to make
/// twice come here: reads, a connect (per connection id), the commands that read or set, a send lease (a late first
/// answer only leaves budget unused); a <c>send</c> does not, its client resends it with its id.
/// A request lost in the cluster (a gateway connection closed under it, a grain directory still settling after a
/// restart, a request dropped between two silos) is otherwise answered only by the cluster's response timeout, and a
/// grain that takes one request at a time holds every later one behind it. The rules:
/// <list type="bullet">
/// <item>Transient (<see cref="IsTransient"/>): no answer within the attempt, or the cluster's word that the request
/// did not reach (or outlive) its grain. What the grain itself threw is never asked again.</item>
/// <item>An attempt waits at most its attempt timeout. After one without an answer the next gets all that is left of
/// the budget, so a grain that is only slow (an overloaded cluster) is asked twice at most.</item>
/// <item>A refused attempt is made again after a pause that doubles from <see cref="FirstPause"/> up to
/// <see cref="MaxPause"/>, drawn at random from its upper half so that callers refused together do not come back
/// together; while the budget leaves room for the pause, and <see cref="MaxAttempts"/> at most.</item>
/// <item>Cancellation (the request aborted, the host stopping) ends the wait and the pauses at once and is never
/// asked again.</item>
/// </list>
/// An attempt given up on may still answer; its answer (or fault) is dropped.
/// </summary>
public static partial class GrainRetry
{
    /// <summary>The most attempts one call makes.</summary>
    public const int MaxAttempts = 8;

    /// <summary>The longest pause after the first refused attempt.</summary>
    public static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between two attempts.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(2);

    /// <summary>The least time an attempt is given, when a pause left the budget almost none.</summary>
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(50);

    /// <summary>No answer in time, or the cluster's word that the request did not reach (or outlive) its grain.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is TimeoutException or OrleansMessageRejectionException or SiloUnavailableException;

    /// <summary>
    /// The pause after <paramref name="attempt"/> failed: <paramref name="first"/> doubled per attempt up to
    /// <paramref name="max"/>, then drawn at random from the upper half of that.
    /// </summary>
    public static TimeSpan Pause(int attempt, TimeSpan first, TimeSpan max)
    {
        var ceiling = first * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        ceiling = ceiling < max ? ceiling : max;
        return ceiling / 2 + ceiling / 2 * Random.Shared.NextDouble();
    }

    /// <summary>
    /// Makes <paramref name="call"/> until an attempt answers, or throws what the last attempt threw once the rules
    /// above allow no other. <paramref name="budget"/> bounds the whole call, its pauses included;
    /// <see cref="Timeout.InfiniteTimeSpan"/> leaves the last attempt to the call's own response timeout. Each attempt
    /// made again is logged as <paramref name="caller"/>'s <paramref name="what"/>.
    /// </summary>
    public static async Task<T> CallAsync<TState, T>(
        TState state,
        Func<TState, Task<T>> call,
        TimeSpan attemptTimeout,
        TimeSpan budget,
        TimeProvider clock,
        ILogger logger,
        string caller,
        string what,
        CancellationToken cancellation = default)
    {
        var bounded = budget != Timeout.InfiniteTimeSpan;
        var start = clock.GetTimestamp();
        var timedOut = false;
        for (var attempt = 1; ; attempt++)
        {
            var pending = call(state);
            try
            {
                return await pending.WaitAsync(Wait(timedOut, attemptTimeout, bounded ? budget - clock.GetElapsedTime(start) : budget), clock, cancellation);
            }
            catch (Exception ex)
            {
                // Observed, so that a late fault of an attempt given up on is not reported as unobserved.
                pending.Ignore();
                var noAnswer = ex is TimeoutException;
                var pause = noAnswer ? TimeSpan.Zero : Pause(attempt, FirstPause, MaxPause);
                if (cancellation.IsCancellationRequested || !IsTransient(ex) || attempt >= MaxAttempts || (noAnswer && timedOut)
                    || (bounded && clock.GetElapsedTime(start) + pause >= budget))
                {
                    throw;
                }

                LogRetried(logger, ex, caller, what, attempt);
                timedOut |= noAnswer;
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, clock, cancellation);
                }
            }
        }
    }

    /// <summary>
    /// How long the next attempt waits: the attempt timeout, or all that is left after one without an answer; at least a
    /// moment, after a pause that ate the budget.
    /// </summary>
    private static TimeSpan Wait(bool timedOut, TimeSpan attemptTimeout, TimeSpan left)
    {
        if (left == Timeout.InfiniteTimeSpan)
        {
            return timedOut ? left : attemptTimeout;
        }

        var wait = timedOut || left < attemptTimeout ? left : attemptTimeout;
        return wait > MinimumAttempt ? wait : MinimumAttempt;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Caller}: attempt {Attempt} of {What} failed; asking again")]
    private static partial void LogRetried(ILogger logger, Exception exception, string caller, string what, int attempt);
}
