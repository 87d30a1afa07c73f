using System.Diagnostics;

namespace OrleansTabs.Load.Client;

/// <summary>
/// How the bundled browser client reconnects (docs/protocol.md section 5): full-jitter backoff from 0.5 s doubling to a cap,
/// the same tab id, the cookie kept, and <c>resume</c> from the last offset seen.
/// </summary>
internal static class Reconnect
{
    /// <summary>The protocol's largest backoff cap.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt (sign-in, upgrade, welcome, resumed) may take.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reconnects the (closed) tab until one attempt is resumed or <paramref name="deadline"/> passes; attempt n goes to
    /// <paramref name="server"/>(n), so a caller can spread attempts over front-ends. Behind a <paramref name="balancer"/>,
    /// an attempt a front-end refuses is passed on to another front-end within the same attempt, as a reverse proxy does.
    /// Returns the attempts made.
    /// </summary>
    public static async Task<int> WithBackoffAsync(Tab tab, Func<int, Uri> server, bool freshInstance, TimeSpan maxDelay, TimeSpan deadline, CancellationToken cancellation,
        Action<Exception>? failed = null, LoadBalancer? balancer = null)
    {
        var attempt = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < deadline)
        {
            var cap = Math.Min(maxDelay.TotalSeconds, 0.5 * Math.Pow(2, attempt));
            await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * cap), cancellation);
            var target = server(attempt);
            attempt++;
            for (var hop = 1; ; hop++)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(AttemptTimeout);
                try
                {
                    await tab.Session.SignInAsync(target, timeout.Token);
                    await tab.ConnectAsync(target, timeout.Token, freshInstance);
                    await tab.ResumeAsync(timeout.Token);
                    return attempt;
                }
                catch (Exception ex) when (balancer is not null && hop < balancer.Count && balancer.Refused(target, ex))
                {
                    tab.Abort();
                    target = balancer.Pick(tab.Index + attempt);
                }
                catch (UpgradeRefusedException ex) when (ex.Message.Contains(" 401", StringComparison.Ordinal))
                {
                    // The session is gone: a browser's client asks /auth/me and stops; so does this one.
                    tab.Abort();
                    throw;
                }
                catch (ClosedBeforeException ex) when (ex.Code is >= 4500 and <= 4999)
                {
                    // Closed for good before the welcome (the session ended, a duplicate tab): no attempt would differ.
                    tab.Abort();
                    throw;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
                {
                    failed?.Invoke(ex);
                    tab.Abort();
                    break;
                }
            }
        }

        return attempt;
    }
}
