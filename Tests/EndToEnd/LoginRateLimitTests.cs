using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.AspNetCore.Auth;
using OrleansTabs.Web.Auth;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Sign-ins per client address per minute (3 here, on a host of its own): 429 with a problem body and Retry-After.</summary>
public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task SignInsOverTheAddressLimitAreRefusedWith429AndRetryAfter()
    {
        var serviceId = TestRedis.NewServiceId("logins");
        await using var web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Auth:LoginsPerMinute"] = "3",
        }));
        var sessions = new List<TestSession>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                sessions.Add(await TestSession.SignInAsync(web.Address));
            }

            using var http = new HttpClient { BaseAddress = web.Address };
            var refused = await http.PostAsJsonAsync("/auth/login", new { user = "one-too-many" });

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("logins_per_minute", problem.GetProperty("limit").GetString());
            Assert.Equal(retryAfter.Value.TotalMilliseconds, problem.GetProperty("retryAfterMs").GetDouble());

            // Only sign-in is limited: the sessions made within the limit work on.
            foreach (var session in sessions)
            {
                Assert.NotNull(await session.MeAsync());
            }

            var (tab, _) = await sessions[0].OpenAsync("chat");
            await tab.DisposeAsync();
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void AddressesArePartitionedByIPv4AddressOrIPv6Prefix(string address, string partition) =>
        Assert.Equal(partition, LoginRateLimit.PartitionKey(IPAddress.Parse(address)));
}
