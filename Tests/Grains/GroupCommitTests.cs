using OrleansTabs.Grains.Storage;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>The group commit shared by the session's state and the room's members: one write at a time, batches after it.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task RequestsMadeWhileAWriteIsInFlightShareTheNextWriteAndEachIsAnsweredByAWriteThatBeganAfterIt()
    {
        // Written by the commit's loop on a pool thread, read here.
        var gates = new System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource>();
        var commit = new GroupCommit(() =>
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gates.Enqueue(gate);
            return gate.Task;
        });

        var first = commit.WriteAsync();
        var second = commit.WriteAsync();
        var third = commit.WriteAsync();
        Assert.Single(gates);
        Assert.Same(second, third);

        gates.ToArray()[0].SetResult();
        await first;
        await Deadline.UntilAsync(() => gates.Count == 2, "the second write starts");
        Assert.False(second.IsCompleted);

        gates.ToArray()[1].SetResult();
        await second;
        Assert.Equal(2, gates.Count);
    }

    [Fact]
    public async Task AFailedWriteFaultsOnlyItsOwnBatchAndAWriteThatCompletesSynchronouslyLeavesTheCommitUsable()
    {
        var calls = 0;
        var commit = new GroupCommit(() => ++calls == 1 ? Task.FromException(new InvalidOperationException("down")) : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(commit.WriteAsync);
        await commit.WriteAsync();
        await commit.WriteAsync();
        Assert.Equal(3, calls);
    }
}
