using System.Net;
using System.Net.Http.Json;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>The cluster's dashboard topics are capped, and a dashboard gets a snapshot of every one of them.</summary>
[Collection(TopicsCollection.Name)]
public sealed class TopicCapTests(TopicsFixture fixture)
{
    [Fact]
    public async Task TopicsPastTheCapAreRefusedAndADashboardStillGetsEverySnapshot()
    {
        var tabs = fixture.Web.Service<IOrleansTabs>();
        var prefix = "cap-" + TabClient.NewId()[..6] + "-";
        var admitted = new List<string>();
        for (var i = 0; i <= TopicNames.MaxTopics; i++)
        {
            try
            {
                await tabs.SetTopicAsync(prefix + i, new { n = i });
                admitted.Add(prefix + i);
            }
            catch (ArgumentException)
            {
                break;
            }
        }

        // More snapshots than the send queue holds frames: the connect paces them, so none overflows it (close 4013).
        Assert.Equal(TopicNames.MaxTopics, admitted.Count);
        await Assert.ThrowsAsync<ArgumentException>(() => tabs.SetTopicAsync(prefix + "more", new { n = 0 }));
        using (var http = TestHosts.PushClient(fixture.Server))
        using (var refused = await http.PostAsJsonAsync("/api/push", new { target = new { topic = prefix + "more" }, payload = new { } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        // An admitted topic still takes new values.
        await tabs.SetTopicAsync(admitted[0], new { n = -1 });
        var connections = fixture.Web.Service<LocalConnections>();
        await Deadline.UntilAsync(() => connections.Topic(admitted[0])?.DataJson.Contains("-1", StringComparison.Ordinal) == true, "the last value reaches the front-end");

        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("dashboard");
        await using (tab)
        {
            var missing = new HashSet<string>(admitted.Append("cluster"), StringComparer.Ordinal);
            while (missing.Count > 0)
            {
                var snapshot = await tab.ExpectAsync("snapshot");
                missing.Remove(snapshot.GetProperty("topic").GetString()!);
            }

            await tab.SendAsync(new { type = "ping" });
            await tab.ExpectAsync("pong");
            Assert.False(tab.Closed.IsCompleted);
        }
    }
}
