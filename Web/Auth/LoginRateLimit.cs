using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Auth;

/// <summary>
/// Sign-ins per client address per minute (<see cref="AuthOptions.LoginsPerMinute"/>), with ASP.NET Core's rate limiter:
/// a fixed one-minute window per address, no queue. The address is the connection's remote address (this application
/// does not configure forwarded headers, so a proxy in front counts as one client). IPv6 clients are grouped by /64, the
/// block one subscriber usually holds, so rotating addresses within it does not multiply the allowance.
/// </summary>
public static class LoginRateLimit
{
    /// <summary>The rate limiter policy of <c>POST /auth/login</c>.</summary>
    public const string PolicyName = "login";

    /// <summary>Registers the policy and its refusal: 429 with a problem body and <c>Retry-After</c>.</summary>
    public static IServiceCollection AddLoginRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var permits = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.LoginsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = RejectAsync;
        });

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

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var permits = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.LoginsPerMinute;
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many sign-ins.",
            detail: $"This address signed in {permits} times within a minute; try again in {seconds} s.",
            extensions: new Dictionary<string, object?> { ["limit"] = "logins_per_minute", ["retryAfterMs"] = seconds * 1000 })
            .ExecuteAsync(context);
    }
}
