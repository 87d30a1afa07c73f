using OrleansTabs.Rooms;
using OrleansTabs.Sessions;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// What a grain answers after a write waits until the store holds the write durably (<c>IStoreDurability</c>): the
/// grains' storage and the room log both, so an acknowledgement never runs ahead of the disk.
/// </summary>
[Collection(GrainCollection.Name)]
public sealed class DurableWritesTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task AGrainStateWriteIsAnsweredOnlyOnceItIsDurable()
    {
        var session = fixture.Client.GetGrain<ISessionGrain>("s" + Guid.NewGuid().ToString("N"));
        await HeldUntilDurableAsync(() => session.StartAsync("held"));
        Assert.NotNull(await session.ValidateAsync());
    }

    [Fact]
    public async Task ARoomPostIsAnsweredOnlyOnceItIsDurable()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>("r-" + Guid.NewGuid().ToString("N")[..12]);
        var post = await HeldUntilDurableAsync(() => room.PostAsync(new PostRequest("s/chat/tab1", "c1", "user", "tab1", "held")));
        Assert.Equal(1, post.Offset);
    }

    private async Task<T> HeldUntilDurableAsync<T>(Func<Task<T>> write)
    {
        fixture.Durability.Close();
        Task<T> answer;
        try
        {
            answer = write();
            await fixture.Durability.Waited.WaitAsync(TimeSpan.FromSeconds(30));

            // The write has reached the store and waits for its commit: the caller has no answer yet.
            Assert.False(answer.IsCompleted, "the write was answered before it was durable");
        }
        finally
        {
            fixture.Durability.Open();
        }

        return await answer.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
