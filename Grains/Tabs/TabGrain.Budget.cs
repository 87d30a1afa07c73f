using OrleansTabs.Sessions;

namespace OrleansTabs.Grains.Tabs;

/// <summary>
/// The tab's share of its session's one send budget (docs/protocol.md section 6.4). Sends are taken from a small allowance
/// leased from the session grain, so a burst of sends costs one session call per lease, not per send; an allowance not
/// used within a second lapses, so no tab can bank the budget. Sends waiting for a lease keep their order, and a tab
/// told the budget is spent refuses its next sends itself until it refills.
/// </summary>
public sealed partial class TabGrain
{
    private static readonly TimeSpan AllowanceLifetime = TimeSpan.FromSeconds(1);

    private int _allowance;
    private long _allowanceAt;
    private long _refusedUntil;
    private int _budgetWaiters;
    private Task<SendGrant>? _leasing;

    /// <summary>Completes with null if a send may be posted now, else with the milliseconds until the budget has room.</summary>
    private ValueTask<int?> TakeSendAsync() =>
        _budgetWaiters == 0 && TryTakeAllowance() ? new ValueTask<int?>((int?)null) : new ValueTask<int?>(TakeSendSlowAsync());

    private bool TryTakeAllowance()
    {
        if (_allowance > 0 && clock.GetElapsedTime(_allowanceAt) < AllowanceLifetime)
        {
            _allowance--;
            return true;
        }

        _allowance = 0;
        return false;
    }

    private async Task<int?> TakeSendSlowAsync()
    {
        _budgetWaiters++;
        try
        {
            while (true)
            {
                if (RefusedFor() is { } wait)
                {
                    return wait;
                }

                _leasing ??= LeaseAsync();
                var grant = await _leasing;
                if (TryTakeAllowance())
                {
                    return null;
                }

                if (grant.Granted == 0)
                {
                    return grant.RetryAfterMs;
                }

                // The sends waiting before this one took the whole lease: lease again.
            }
        }
        finally
        {
            _budgetWaiters--;
        }
    }

    private int? RefusedFor()
    {
        var left = _refusedUntil - clock.GetTimestamp();
        return left > 0 ? Math.Max(1, (int)Math.Ceiling(left * 1000.0 / clock.TimestampFrequency)) : null;
    }

    private async Task<SendGrant> LeaseAsync()
    {
        try
        {
            var options = sessionOptions.Value;
            var size = (int)Math.Clamp(Math.Ceiling(options.SendsPerSecond / 10), 1, Math.Max(1, options.SendBurst / 4));
            var grant = await Session.LeaseSendsAsync(size);
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
        finally
        {
            _leasing = null;
        }
    }
}
