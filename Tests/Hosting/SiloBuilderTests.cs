using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Storage;

namespace OrleansTabs.Tests.Hosting;

/// <summary><c>siloBuilder.AddOrleansTabs</c> in a silo that its host configures: built, not started (only registrations are read).</summary>
public sealed class SiloBuilderTests
{
    private const string Redis = "127.0.0.1:6379";

    [Fact]
    public void TheCodesOptionsApplyUnderTheConfigurationsAndIOrleansTabsIsInDi()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansTabs:Sessions:AbsoluteLifetime"] = "02:00:00" });
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddOrleansTabs(Redis, options =>
        {
            options.Sessions.SlidingExpiration = TimeSpan.FromHours(1);
            options.Sessions.AbsoluteLifetime = TimeSpan.FromHours(3);
        }));
        using var host = builder.Build();

        var sessions = host.Services.GetRequiredService<IOptions<SessionOptions>>().Value;
        Assert.Equal(TimeSpan.FromHours(1), sessions.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(2), sessions.AbsoluteLifetime);
        Assert.NotNull(host.Services.GetRequiredService<IOrleansTabs>());
        Assert.IsType<RedisReminderTable>(host.Services.GetRequiredService<IReminderTable>());
    }

    [Fact]
    public void TheHostsReminderTableIsKept()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().UseInMemoryReminderService().AddOrleansTabs(Redis));
        using var host = builder.Build();

        Assert.IsNotType<RedisReminderTable>(host.Services.GetRequiredService<IReminderTable>());
    }

    [Fact]
    public void AddingItTwiceWithAnotherRedisIsRefusedAndWithTheSameChangesNothing()
    {
        var builder = Host.CreateApplicationBuilder();
        var error = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(silo => silo.AddOrleansTabs(Redis).AddOrleansTabs("127.0.0.1:6380")));
        Assert.Contains("AddOrleansTabs", error.Message, StringComparison.Ordinal);

        var again = Host.CreateApplicationBuilder();
        again.UseOrleans(silo => silo.UseLocalhostClustering().AddOrleansTabs(Redis).AddOrleansTabs(Redis));
        using var host = again.Build();
        Assert.Single(host.Services.GetServices<IOrleansTabs>());
    }
}
