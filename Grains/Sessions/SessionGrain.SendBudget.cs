using OrleansTabs.Sessions;

namespace OrleansTabs.Grains.Sessions;

/// <summary>The session's one send budget, shared by its tabs on every front-end (docs/protocol.md section 6.4).</summary>
public sealed partial class SessionGrain
{
    private double _sendTokens = options.Value.SendBurst;
    private long _sendTokensAt = clock.GetTimestamp();

    public Task<SendGrant> LeaseSendsAsync(int wanted)
    {
        var now = clock.GetTimestamp();
        _sendTokens = Math.Min(_options.SendBurst, _sendTokens + (clock.GetElapsedTime(_sendTokensAt, now).TotalSeconds * _options.SendsPerSecond));
        _sendTokensAt = now;
        // A send that comes back when it was told to may arrive up to SendGrant.EarlyReturn before its token is whole
        // (a client's timer fires up to a tick early): it is taken, and the bucket goes that far below empty, so the next
        // token comes that much later and the rate over time is unchanged.
        var available = _sendTokens + (SendGrant.EarlyReturn.TotalSeconds * _options.SendsPerSecond);
        var granted = (int)Math.Min(Math.Max(wanted, 1), Math.Floor(available));
        if (granted > 0)
        {
            _sendTokens -= granted;
            return Task.FromResult(new SendGrant(granted, 0));
        }

        // Until the token is whole: a client that waits this long, give or take its timer's tick, is taken.
        var retryAfter = (int)Math.Ceiling((1 - _sendTokens) / _options.SendsPerSecond * 1000);
        return Task.FromResult(new SendGrant(0, Math.Max(retryAfter, 1)));
    }
}
