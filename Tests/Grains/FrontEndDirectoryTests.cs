using OrleansTabs.FrontEnds;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>The front-end directory's leases: they lapse when a front-end stops renewing, not when the directory was paused.</summary>
[Collection(GrainCollection.Name)]
public sealed class FrontEndDirectoryTests(GrainClusterFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task APausedDirectoryExtendsTheLeasesInsteadOfTakingTheirFrontEndsForLost()
    {
        var (frontEnd, session) = await ConnectedTabAsync("kim");
        var directory = fixture.Client.GetFrontEndDirectory();

        // The silo was paused for longer than the lease (a frozen VM): the directory runs first after it, before the
        // front-end, which was paused as long, could renew.
        fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Contains(await directory.GetLiveAsync(), l => l.FrontEnd == frontEnd.Id);
        Assert.NotNull(await directory.ResolveAsync(frontEnd.Id));
        Assert.True(await IsConnectedAsync(session), "the tab of the front-end that could not renew is still connected");

        // A front-end that really is gone (it never renews again) still lapses, one lease after the pause.
        await fixture.PassTimeAsync(Lease + TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(await directory.GetLiveAsync(), l => l.FrontEnd == frontEnd.Id);
        await Deadline.UntilAsync(async () => !await IsConnectedAsync(session), "the tab of the front-end that stopped renewing is disconnected");
    }

    [Fact]
    public async Task ALeaseRenewedInTimeNeverLapses()
    {
        var (frontEnd, session) = await ConnectedTabAsync("lou");
        var directory = fixture.Client.GetFrontEndDirectory();

        for (var i = 0; i < 5; i++)
        {
            await fixture.PassTimeAsync(Lease / 2);
            await frontEnd.RenewAsync(fixture.Client, Lease);
        }

        Assert.Contains(await directory.GetLiveAsync(), l => l.FrontEnd == frontEnd.Id);
        Assert.True(await IsConnectedAsync(session), "the tab of a front-end that renews is connected");
    }

    private async Task<(RecordingFrontEnd FrontEnd, string Session)> ConnectedTabAsync(string user)
    {
        var session = "s" + Guid.NewGuid().ToString("N");
        var frontEnd = await RecordingFrontEnd.RegisterAsync(fixture.Client, Lease);
        await fixture.Client.GetGrain<ISessionGrain>(session).StartAsync(user);
        var tab = fixture.Client.GetGrain<ITabGrain>(new TabAddress(session, Guid.NewGuid().ToString("N"), "chat").ToGrainKey());
        await tab.ConnectAsync(frontEnd.Connect(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N")));
        Assert.True(await IsConnectedAsync(session));
        return (frontEnd, session);
    }

    private async Task<bool> IsConnectedAsync(string session) =>
        Assert.Single((await fixture.Client.GetGrain<ISessionGrain>(session).GetTabsAsync())!).Connected;
}
