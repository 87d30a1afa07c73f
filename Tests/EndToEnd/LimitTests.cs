using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Limits refuse clearly and lose nothing: rooms per tab (3 here) and the streams a resume may name.</summary>
[Collection(LimitsCollection.Name)]
public sealed class LimitTests(LimitsFixture fixture)
{
    [Fact]
    public async Task AJoinBeyondTheRoomCapIsRefusedAndTheTabKeepsItsRooms()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var rooms = Enumerable.Range(0, 3).Select(_ => ChatStreams.NewRoom()).ToList();
            foreach (var room in rooms)
            {
                await tab.JoinAsync(room);
            }

            await tab.SendAsync(new { type = "join", room = ChatStreams.NewRoom(), id = "over" });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("invalid_field", error.GetProperty("code").GetString());
            Assert.Equal("over", error.GetProperty("ref").GetString());

            // A room already joined is still answered, and the member rooms still work.
            await tab.JoinAsync(rooms[0]);
            await tab.SendChatAsync(rooms[2], "still-member", "hello");
        }
    }

    [Fact]
    public async Task AResumeMayNameMoreThan256Streams()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var streams = Enumerable.Range(0, 300).ToDictionary(i => $"room:r{i}", _ => (object)new { epoch = "e", offset = 0 });
            await tab.SendAsync(new { type = "resume", streams });
            var resumed = await tab.ExpectAsync("resumed");
            Assert.Equal(300, resumed.GetProperty("streams").EnumerateObject().Count());
        }
    }
}
