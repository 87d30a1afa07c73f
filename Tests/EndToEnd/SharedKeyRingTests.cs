using System.Net.Http.Json;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// Front-ends that start together on an empty key ring: one of them creates its first key and the others read it, so
/// each decrypts the others' cookies for as long as the key lives (a front-end looks for a key it does not know only in
/// its first two minutes).
/// </summary>
public sealed class SharedKeyRingTests
{
    [Fact]
    public async Task FrontEndsThatStartTogetherOnAnEmptyRingCreateOneKeyBetweenThem()
    {
        var serviceId = TestRedis.NewServiceId("keyring");
        var settings = TestHosts.Settings(serviceId, serviceId);
        using var silo = await TestHosts.StartSiloAsync(settings);
        var webs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestHosts.StartWebAsync("Client", settings)));
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.ConnectionString);
            Assert.Single(await redis.GetDatabase().ListRangeAsync($"orleanstabs:{serviceId}:dataprotection-keys"));

            using var session = await TestSession.SignInAsync(webs[0].Address);
            foreach (var web in webs[1..])
            {
                using var http = session.HttpFor(web.Address);
                var me = await http.GetFromJsonAsync<JsonElement>("/auth/me");
                Assert.Equal(session.Handle, me.GetProperty("session").GetString());
            }
        }
        finally
        {
            foreach (var web in webs)
            {
                await web.DisposeAsync();
            }

            await silo.StopAsync();
        }
    }
}
