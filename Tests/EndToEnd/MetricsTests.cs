using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

[Collection(AllInOneCollection.Name)]
public sealed class MetricsTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task MetricsAreScrapableAndCountFrames()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
        }

        using var http = new HttpClient { BaseAddress = fixture.Server };
        string text = "";
        await Deadline.UntilAsync(
            async () => (text = await http.GetStringAsync("/metrics")).Contains("orleanstabs_frames_in", StringComparison.Ordinal),
            "the frame counters appear in /metrics");
        Assert.Contains("orleanstabs_frames_out", text, StringComparison.Ordinal);
    }
}
