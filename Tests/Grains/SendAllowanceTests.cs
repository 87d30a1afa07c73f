using Microsoft.Extensions.Time.Testing;
using OrleansTabs.Grains.Tabs;
using OrleansTabs.Sessions;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// The rules of a tab's send allowance (docs/protocol.md section 6.4), without a cluster: the session's answer to a
/// lease is scripted, and may arrive synchronously, as a grain call's response can when it lands before its caller
/// reaches the <c>await</c>.
/// </summary>
public sealed class SendAllowanceTests
{
    private const int MaxLeases = 50;

    private readonly FakeTimeProvider _clock = new();
    private readonly Queue<Func<Task<SendGrant>>> _answers = new();
    private readonly List<int> _leased = [];

    [Fact]
    public async Task LeasesAnsweredSynchronouslyAreEachUsedOnce()
    {
        // A lease answered before its await must leave the in-flight slot: otherwise the next send that finds the
        // allowance spent awaits that completed lease again and again, a busy loop holding the grain forever.
        for (var i = 0; i < 5; i++)
        {
            _answers.Enqueue(() => Task.FromResult(new SendGrant(2, 0)));
        }

        var allowance = Allowance(leaseSize: 2);

        // On a pool thread with a deadline: such a busy loop fails this test rather than hang the run.
        var refusals = await Task.Run(async () =>
        {
            var refused = 0;
            for (var send = 0; send < 10; send++)
            {
                refused += await allowance.TakeAsync() is null ? 0 : 1;
            }

            return refused;
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, refusals);
        Assert.Equal([2, 2, 2, 2, 2], _leased);
    }

    [Fact]
    public Task SendsWaitingForALeaseShareOneCallAndKeepTheirOrder() => OnGrainScheduler(async () =>
    {
        var answer = new TaskCompletionSource<SendGrant>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers.Enqueue(() => answer.Task);
        var allowance = Allowance(leaseSize: 3);

        var sends = Enumerable.Range(0, 3).Select(_ => allowance.TakeAsync().AsTask()).ToArray();
        Assert.All(sends, s => Assert.False(s.IsCompleted));
        answer.SetResult(new SendGrant(3, 0));

        Assert.Equal([null, null, null], await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([3], _leased);
    });

    [Fact]
    public Task ASendBeyondTheLeaseLeasesAgain() => OnGrainScheduler(async () =>
    {
        var answer = new TaskCompletionSource<SendGrant>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers.Enqueue(() => answer.Task);
        _answers.Enqueue(() => Task.FromResult(new SendGrant(1, 0)));
        var allowance = Allowance(leaseSize: 1);

        var first = allowance.TakeAsync().AsTask();
        var second = allowance.TakeAsync().AsTask();
        answer.SetResult(new SendGrant(1, 0));

        Assert.Null(await first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([1, 1], _leased);
    });

    /// <summary>
    /// Runs a test whose sends wait concurrently as its grain runs them: one turn at a time. On the bare thread pool the
    /// waiters' continuations ran at once on two threads and both took the one send a lease granted (the allowance is
    /// the grain's state and takes no lock), so the second never leased again.
    /// </summary>
    private static Task OnGrainScheduler(Func<Task> test) =>
        Task.Factory.StartNew(test, CancellationToken.None, TaskCreationOptions.None, new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler).Unwrap();

    [Fact]
    public async Task ASpentBudgetIsRefusedLocallyUntilItHasRoom()
    {
        _answers.Enqueue(() => Task.FromResult(new SendGrant(0, 500)));
        _answers.Enqueue(() => Task.FromResult(new SendGrant(4, 0)));
        var allowance = Allowance(leaseSize: 4);

        Assert.Equal(500, await allowance.TakeAsync());
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(300, await allowance.TakeAsync());
        Assert.Single(_leased);

        _clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Null(await allowance.TakeAsync());
        Assert.Equal([4, 4], _leased);
    }

    [Fact]
    public async Task ASendBackSlightlyBeforeItsRetryTimeIsLeftToTheSessionNotRefusedHere()
    {
        _answers.Enqueue(() => Task.FromResult(new SendGrant(0, 50)));
        _answers.Enqueue(() => Task.FromResult(new SendGrant(1, 0)));
        var allowance = Allowance(leaseSize: 1);
        Assert.Equal(50, await allowance.TakeAsync());

        // Well before the retry time the tab refuses by itself, with the time that is left.
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal(10, await allowance.TakeAsync());
        Assert.Single(_leased);

        // A client whose timer fired a millisecond early is heard by the session, which decides.
        _clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Null(await allowance.TakeAsync());
        Assert.Equal([1, 1], _leased);
    }

    [Fact]
    public async Task AnUnusedAllowanceLapses()
    {
        _answers.Enqueue(() => Task.FromResult(new SendGrant(5, 0)));
        _answers.Enqueue(() => Task.FromResult(new SendGrant(5, 0)));
        var allowance = Allowance(leaseSize: 5);

        Assert.Null(await allowance.TakeAsync());
        Assert.Null(await allowance.TakeAsync());
        Assert.Single(_leased);

        _clock.Advance(SendAllowance.Lifetime);
        Assert.Null(await allowance.TakeAsync());
        Assert.Equal(2, _leased.Count);
    }

    [Fact]
    public async Task AFailedLeaseIsNotReused()
    {
        _answers.Enqueue(() => Task.FromException<SendGrant>(new TimeoutException("session unreachable")));
        _answers.Enqueue(() => Task.FromResult(new SendGrant(1, 0)));
        var allowance = Allowance(leaseSize: 1);

        await Assert.ThrowsAsync<TimeoutException>(() => allowance.TakeAsync().AsTask());
        Assert.Null(await allowance.TakeAsync());
        Assert.Equal([1, 1], _leased);
    }

    [Fact]
    public void TheLeaseIsATenthOfASecondsSendsAtMostAQuarterOfTheBurst()
    {
        Assert.Equal(2, SendAllowance.LeaseSize(20, 40));
        Assert.Equal(10, SendAllowance.LeaseSize(100_000, 40));
        Assert.Equal(1, SendAllowance.LeaseSize(1, 2));
    }

    [Fact]
    public async Task InFlightSharesARunningOperationAndNeverAFinishedOne()
    {
        Task<int>? slot = null;
        var running = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = 0;

        var first = InFlight.Join(ref slot, () => { starts++; return running.Task; });
        var second = InFlight.Join(ref slot, () => { starts++; return Task.FromResult(-1); });
        Assert.Same(first, second);

        running.SetResult(1);
        Assert.Equal(1, await second);
        Assert.Equal(2, await InFlight.Join(ref slot, () => { starts++; return Task.FromResult(2); }));
        Assert.Null(slot);
        Assert.Equal(3, await InFlight.Join(ref slot, () => { starts++; return Task.FromResult(3); }));
        Assert.Equal(3, starts);
    }

    private SendAllowance Allowance(int leaseSize) => new(
        size =>
        {
            _leased.Add(size);
            Assert.True(_leased.Count <= MaxLeases, "The allowance leased without end.");
            return _answers.TryDequeue(out var answer) ? answer() : throw new InvalidOperationException("No scripted answer for lease " + _leased.Count);
        },
        leaseSize,
        _clock);
}
