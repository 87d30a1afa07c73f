using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class DashboardTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task ADashboardGetsTheClusterSnapshotRightAfterWelcome()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var tab = await session.ConnectAsync("dashboard");
        await using (tab)
        {
            Assert.Equal("welcome", (await tab.NextAsync()).GetProperty("type").GetString());
            var snapshot = await tab.NextAsync();
            Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
            Assert.Equal("cluster", snapshot.GetProperty("topic").GetString());
            var data = snapshot.GetProperty("data");
            Assert.True(data.GetProperty("frontEnds").GetInt32() >= 1);
            Assert.True(data.TryGetProperty("sessions", out _));
            Assert.True(data.GetProperty("tabs").TryGetProperty("chat", out _));
            Assert.True(data.TryGetProperty("framesInPerSecond", out _));
            Assert.True(data.TryGetProperty("framesOutPerSecond", out _));
        }
    }

    [Fact]
    public async Task TheClusterTopicUpdatesAndCountsThisDashboard()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("dashboard");
        await using (tab)
        {
            var until = DateTime.UtcNow + Deadline.Default;
            while (true)
            {
                var snapshot = await tab.ExpectAsync("snapshot");
                if (snapshot.GetProperty("topic").GetString() == "cluster" && snapshot.GetProperty("data").GetProperty("tabs").GetProperty("dashboard").GetInt32() >= 1)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, "the cluster topic never counted the dashboard tab");
            }
        }
    }

    [Theory]
    [InlineData("{\"type\":\"join\",\"room\":\"r\"}")]
    [InlineData("{\"type\":\"send\",\"id\":\"a\",\"room\":\"r\",\"text\":\"t\"}")]
    [InlineData("{\"type\":\"history\",\"room\":\"r\"}")]
    public async Task DataFramesOnTheDashboardAreNotAllowed(string frame)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("dashboard");
        await using (tab)
        {
            await tab.SendTextAsync(frame);
            Assert.Equal("not_allowed", (await tab.ExpectAsync("error")).GetProperty("code").GetString());
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
        }
    }
}
