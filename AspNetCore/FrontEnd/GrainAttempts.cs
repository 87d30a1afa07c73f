using Microsoft.Extensions.Options;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>
/// A front-end's grain call that is safe to make twice, made again when an attempt gets no answer within
/// <see cref="SocketOptions.CallAttemptTimeout"/> (once: the second attempt gets the rest of the budget) or the cluster
/// could not deliver it (after a short pause, while the call's budget lasts).
/// A request lost in the cluster (a gateway connection closed under it, a grain directory still settling right after a
/// whole-deployment restart) is otherwise answered only by the cluster's response timeout, and the socket or frame
/// fails with it. Only idempotent calls come here: a connect (per connection id) and the commands that read or set
/// (ping, state, ack, resume, join, leave, who, history). A <c>send</c> does not: its client resends it with its id.
/// </summary>
internal sealed partial class GrainAttempts(IOptions<SocketOptions> options, TimeProvider clock, ILogger<GrainAttempts> logger)
{
    /// <summary>How long an attempt waits before it is made again after the cluster refused to deliver it.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    /// <summary>The least time an attempt is given, when a pause left the budget almost none.</summary>
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(50);

    private readonly TimeSpan _attemptTimeout = options.Value.CallAttemptTimeout;

    /// <summary>
    /// Makes <paramref name="call"/> until an attempt answers, or throws what the last attempt threw once
    /// <paramref name="budget"/> leaves no time for another. What the grain itself threw is never asked again.
    /// </summary>
    public async Task<T> CallAsync<TState, T>(TState state, Func<TState, Task<T>> call, TimeSpan budget, string connectionId, string what, CancellationToken cancellation = default)
    {
        var start = clock.GetTimestamp();
        var timedOut = false;
        for (var attempt = 1; ; attempt++)
        {
            // After one attempt without an answer the next gets all that is left: a grain that is only slow (an
            // overloaded cluster) is asked twice at most, never once per attempt timeout. Refusals are asked again
            // after a pause; every attempt gets at least a moment, after a pause that ate the budget.
            var wait = budget - clock.GetElapsedTime(start);
            wait = timedOut || wait < _attemptTimeout ? wait : _attemptTimeout;
            try
            {
                return await call(state).WaitAsync(wait > MinimumAttempt ? wait : MinimumAttempt, clock, cancellation);
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested && IsWorthAnotherAttempt(ex) && clock.GetElapsedTime(start) + RetryPause < budget)
            {
                LogRetried(logger, ex, connectionId, what, attempt);
                if (ex is TimeoutException)
                {
                    timedOut = true;
                }
                else
                {
                    await Task.Delay(RetryPause, clock, cancellation);
                }
            }
        }
    }

    /// <summary>No answer in time, or the cluster's word that the request did not reach (or outlive) its grain.</summary>
    private static bool IsWorthAnotherAttempt(Exception ex) => ex is TimeoutException or OrleansMessageRejectionException or SiloUnavailableException;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Socket {ConnectionId}: {What} attempt {Attempt} got no answer from its tab grain; asking again")]
    private static partial void LogRetried(ILogger logger, Exception exception, string connectionId, string what, int attempt);
}
