using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>
/// Sign-ins per client address per minute (<see cref="AuthOptions.LoginsPerMinute"/>): a fixed one-minute window per
/// address, no queue. A limiter of its own, so the host's rate limiter and its policies stay the host's. The address is
/// the connection's remote address (behind a proxy, what the host's forwarded headers make it). IPv6 clients are grouped
/// by /64, the block one subscriber usually holds, so rotating addresses within it does not multiply the allowance.
/// </summary>
internal sealed class LoginRateLimit : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly int _permits;

    public LoginRateLimit(IOptions<AuthOptions> options)
    {
        _permits = options.Value.LoginsPerMinute;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Takes a permit for the request's address: null if it had one, else the refusal (429 with <c>Retry-After</c>).</summary>
    public IResult? Refusal(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many sign-ins.",
            detail: $"This address signed in {_permits} times within a minute; try again in {seconds} s.",
            extensions: new Dictionary<string, object?> { ["limit"] = "logins_per_minute", ["retryAfterMs"] = seconds * 1000 });
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>The partition of a client address: IPv4 as is (also when mapped to IPv6), IPv6 by its /64 prefix.</summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
