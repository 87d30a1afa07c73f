using Orleans;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Keeps a client-mode front-end trying to reach the cluster at start-up instead of exiting: after a restart of the
/// whole deployment the front-ends may start before any silo is active again (or see only the gateways of silos that
/// are gone). It retries every second at first, then every 5 s, until the host stops; <c>/health/ready</c> answers
/// once it is connected.
/// </summary>
public sealed partial class ClusterConnectRetry(ILogger<ClusterConnectRetry> logger) : IClientConnectionRetryFilter
{
    private int _attempts;

    /// <inheritdoc />
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        LogRetrying(logger, attempt, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The cluster did not answer (attempt {Attempt}: {Reason}); trying again")]
    private static partial void LogRetrying(ILogger logger, int attempt, string reason);
}
