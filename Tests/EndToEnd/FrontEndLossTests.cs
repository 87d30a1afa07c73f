using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>A third front-end joins the split cluster and goes away while tabs are on it.</summary>
[Collection(SplitClusterCollection.Name)]
public sealed class FrontEndLossTests(SplitClusterFixture cluster)
{
    [Fact]
    public async Task ATabWhoseFrontEndWentAwayResumesOnAnotherWithEverythingItMissed()
    {
        var web3 = await TestHosts.StartWebAsync("Client", cluster.Settings);
        using var session = await TestSession.SignInAsync(cluster.Web1.Address);
        var room = ChatStreams.NewRoom();
        var tabId = TabClient.NewId();
        var (sender, _) = await session.OpenAsync("chat", via: cluster.Web1.Address);
        var (doomed, _) = await session.OpenAsync("chat", tabId, via: web3.Address);
        await using (sender)
        {
            await sender.JoinAsync(room);
            var epoch = (await doomed.JoinAsync(room)).GetProperty("epoch").GetString()!;
            await sender.SendChatAsync(room, "one", "before the loss");
            var seen = Assert.Single(await doomed.MessagesAsync("room:" + room, 1)).Offset();

            await web3.DisposeAsync();
            Assert.Equal(1001, (await doomed.ExpectCloseAsync()).Code);
            await doomed.DisposeAsync();
            for (var i = 0; i < 10; i++)
            {
                await sender.SendChatAsync(room, $"gone-{i}", $"while away {i}");
            }

            var (back, _) = await session.OpenAsync("chat", tabId, via: cluster.Web2.Address);
            await using (back)
            {
                var (frames, _) = await back.ResumeAsync("room:" + room, epoch, seen);
                Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), frames.Where(f => f.GetProperty("type").GetString() == "message").Select(f => f.Offset()));
            }
        }
    }
}
