using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// Replays are flow-controlled into the bounded send queue (64 frames here): a resume deeper than the queue is
/// delivered whole on one connection.
/// </summary>
[Collection(LimitsCollection.Name)]
public sealed class FlowControlTests(LimitsFixture fixture)
{
    [Fact]
    public async Task AResumeDeeperThanTheSendQueueIsReplayedWholeWithoutClosingTheSocket()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var room = ChatStreams.NewRoom();
        var reader = TabClient.NewId();
        var (sender, _) = await session.OpenAsync("chat");
        var (first, _) = await session.OpenAsync("chat", reader);
        await using (sender)
        {
            await sender.JoinAsync(room);
            var epoch = (await first.JoinAsync(room)).GetProperty("epoch").GetString()!;
            first.Abort();
            await first.DisposeAsync();

            const int missed = 200;
            for (var i = 0; i < missed; i++)
            {
                await sender.SendChatAsync(room, $"m{i}", $"message {i}");
            }

            var (resumed, _) = await session.OpenAsync("chat", reader);
            await using (resumed)
            {
                var (frames, done) = await resumed.ResumeAsync("room:" + room, epoch, 0);
                Assert.Equal(Enumerable.Range(1, missed).Select(i => (long)i), frames.Where(f => f.GetProperty("type").GetString() == "message").Select(f => f.Offset()));
                Assert.Equal(missed, done.GetProperty("streams").GetProperty("room:" + room).GetProperty("replayed").GetInt32());
                Assert.False(resumed.Closed.IsCompleted, "the replay closed the socket");
            }
        }
    }
}
