using OrleansTabs.Sessions;

namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// A tab's share of its session's one send budget (docs/protocol.md section 6.4). Sends are taken from a small allowance
/// leased from the session, so a burst of sends costs one session call per lease, not per send; an allowance not used
/// within <see cref="Lifetime"/> lapses, so no tab can bank the budget. Sends waiting for a lease keep their order and
/// share one lease call; a tab told the budget is spent refuses its next sends itself until the budget has room.
/// Runs on its grain's scheduler (one turn at a time), so it takes no lock.
/// </summary>
public sealed class SendAllowance(Func<int, Task<SendGrant>> lease, int leaseSize, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private Func<Task<SendGrant>>? _leaseOnce;
    private int _allowance;
    private long _allowanceAt;
    private long _refusedUntil;
    private int _waiters;
    private Task<SendGrant>? _leasing;

    /// <summary>The lease size for a session budget of <paramref name="sendsPerSecond"/> with <paramref name="burst"/>: a tenth of a second's sends, at most a quarter of the burst.</summary>
    public static int LeaseSize(double sendsPerSecond, int burst) => (int)Math.Clamp(Math.Ceiling(sendsPerSecond / 10), 1, Math.Max(1, burst / 4));

    /// <summary>Completes with null if a send may be posted now, else with the milliseconds until the budget has room.</summary>
    public ValueTask<int?> TakeAsync() =>
        _waiters == 0 && TryTake() ? new ValueTask<int?>((int?)null) : new ValueTask<int?>(TakeSlowAsync());

    private bool TryTake()
    {
        if (_allowance > 0 && clock.GetElapsedTime(_allowanceAt) < Lifetime)
        {
            _allowance--;
            return true;
        }

        _allowance = 0;
        return false;
    }

    private async Task<int?> TakeSlowAsync()
    {
        _waiters++;
        try
        {
            while (true)
            {
                if (RefusedFor() is { } wait)
                {
                    return wait;
                }

                var grant = await InFlight.Join(ref _leasing, _leaseOnce ??= LeaseAsync);
                if (TryTake())
                {
                    return null;
                }

                if (grant.Granted == 0)
                {
                    return grant.RetryAfterMs;
                }

                // The sends waiting before this one took the whole lease (or it lapsed before this turn ran): lease again.
            }
        }
        finally
        {
            _waiters--;
        }
    }

    private int? RefusedFor()
    {
        var left = _refusedUntil - clock.GetTimestamp();
        return left > SendGrant.EarlyReturn.TotalSeconds * clock.TimestampFrequency ? (int)Math.Ceiling(left * 1000.0 / clock.TimestampFrequency) : null;
    }

    private async Task<SendGrant> LeaseAsync()
    {
        var grant = await lease(leaseSize);
        if (grant.Granted > 0)
        {
            _allowance += grant.Granted;
            _allowanceAt = clock.GetTimestamp();
        }
        else
        {
            _refusedUntil = clock.GetTimestamp() + (long)(grant.RetryAfterMs / 1000.0 * clock.TimestampFrequency);
        }

        return grant;
    }
}
