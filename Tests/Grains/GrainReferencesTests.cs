using OrleansTabs.Rooms;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.Tests.Grains;

/// <summary>References made from a resolved interface are the references Orleans makes, for every interface and key.</summary>
[Collection(GrainCollection.Name)]
public sealed class GrainReferencesTests(GrainClusterFixture fixture)
{
    [Fact]
    public void EveryReferenceAfterTheFirstIsTheOneGetGrainMakes()
    {
        var factory = fixture.Client;
        foreach (var key in new[] { "first-" + Guid.NewGuid().ToString("N"), "second-" + Guid.NewGuid().ToString("N"), "third" })
        {
            AssertSame(factory.GetGrain<ISessionGrain>(key), factory.Get<ISessionGrain>(key));
            AssertSame(factory.GetGrain<IRoomGrain>(key), factory.Get<IRoomGrain>(key));
            AssertSame(factory.GetGrain<ITabGrain>(key), factory.Get<ITabGrain>(key));
        }
    }

    [Fact]
    public async Task AResolvedReferenceCallsItsGrain()
    {
        var session = "s" + Guid.NewGuid().ToString("N");
        _ = fixture.Client.Get<ISessionGrain>("warm-" + session);
        await fixture.Client.Get<ISessionGrain>(session).StartAsync("ann");

        var info = await fixture.Client.Get<ISessionGrain>(session).ValidateAsync();

        Assert.Equal("ann", info?.User);
        Assert.Equal(session, info?.Session);
    }

    private static void AssertSame(IAddressable expected, IAddressable actual)
    {
        var (e, a) = ((GrainReference)expected, (GrainReference)actual);
        Assert.Equal(e.GrainId, a.GrainId);
        Assert.Equal(e.InterfaceType, a.InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
