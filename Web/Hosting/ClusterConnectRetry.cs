using Orleans;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Keeps a client-mode front-end trying to reach the cluster at start-up instead of exiting: after a restart of the
/// whole deployment the front-ends may start before any silo is active again (or see only the gateways of silos that
/// are gone). It retries until the host stops, after pauses that grow from about a second to about 5 s, drawn as
/// <see cref="GrainRetry.Pause"/> draws them so that front-ends started together do not call together;
/// <c>/health/ready</c> answers once it is connected.
/// </summary>
public sealed partial class ClusterConnectRetry(ILogger<ClusterConnectRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    private int _attempts;

    /// <inheritdoc />
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        LogRetrying(logger, attempt, exception.Message);
        await Task.Delay(GrainRetry.Pause(attempt, FirstPause, MaxPause), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The cluster did not answer (attempt {Attempt}: {Reason}); trying again")]
    private static partial void LogRetrying(ILogger logger, int attempt, string reason);
}
