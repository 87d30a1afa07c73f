using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.Web.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A Redis that requires a password: the password in <c>ConnectionStrings:Redis</c> reaches clustering, grain storage,
/// the room log and Data Protection, in the split topology (a silo and a client front-end).
/// </summary>
public sealed class RedisPasswordTests
{
    [Fact]
    public async Task TheSplitTopologyRunsOnARedisWithAPassword()
    {
        using var garnet = EmbeddedRedis.Start(0, dataDirectory: null, password: "s3cret-" + Guid.NewGuid().ToString("N")[..8]);
        await using (var anonymous = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{garnet.Port},abortConnect=false,connectTimeout=2000"))
        {
            await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());
        }

        var serviceId = TestRedis.NewServiceId("redis-auth");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = garnet.ConnectionString });
        var silo = await TestHosts.StartSiloAsync(settings);
        try
        {
            await using var web = await TestHosts.StartWebAsync("Client", settings);
            using var session = await TestSession.SignInAsync(web.Address);
            var (tab, _) = await session.OpenAsync("chat");
            await using (tab)
            {
                await tab.JoinAsync("vault");
                var ack = await tab.SendChatAsync("vault", "m1", "behind a password");
                Assert.Equal(1, ack.Offset());
            }

            Assert.Equal(session.User, (await session.MeAsync())!.Value.GetProperty("user").GetString());
            await using var authenticated = await ConnectionMultiplexer.ConnectAsync(garnet.ConnectionString);
            Assert.True(await authenticated.GetDatabase().ListLengthAsync($"orleanstabs:{serviceId}:dataprotection-keys") > 0);
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }
}
