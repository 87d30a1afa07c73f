using OrleansTabs.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansTabs.Grains.Hosting;

namespace OrleansTabs.Tests.Grains;

/// <summary>The silo's membership settings: what bounds a whole-deployment restart, and that a deployment can change them.</summary>
public sealed class SiloMembershipTests
{
    [Fact]
    public void TheEntriesOfSilosThatAreGoneAreStaleTenSecondsAfterTheyStoppedWriting()
    {
        var options = MembershipOptions([]);

        // One vote evicts an entry whose "I am alive" is older than publish period x missed limit, so a restarted
        // deployment does not wait for the entries of its killed silos longer than that.
        Assert.True(options.IAmAliveTablePublishTimeout * options.NumMissedTableIAmAliveLimit <= TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(2), options.ProbeTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.DefunctSiloExpiration);
    }

    [Fact]
    public void MembershipSettingsCanBeChangedPerDeployment()
    {
        var options = MembershipOptions(new() { ["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:30", ["Orleans:Membership:NumMissedProbesLimit"] = "3" });

        Assert.Equal(TimeSpan.FromSeconds(30), options.IAmAliveTablePublishTimeout);
        Assert.Equal(3, options.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ProbeTimeout);
    }

    private static ClusterMembershipOptions MembershipOptions(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.UseOrleansTabsCluster(builder.Configuration, "127.0.0.1:1").AddOrleansTabs("127.0.0.1:1"));
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
    }
}
