using Microsoft.Extensions.Time.Testing;
using OrleansTabs.Grains.Tabs;
using OrleansTabs.Sessions;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// A call asked once more when its first attempt gets no answer in time: a request lost between two silos (after a silo
/// loss or a frozen host) costs its caller one attempt, not the silos' 30 s response timeout.
/// </summary>
public sealed class RepeatableTests
{
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task AnAttemptAnsweredInTimeIsTheOnlyOne()
    {
        var calls = 0;
        var retried = 0;
        var answer = await Repeatable.CallAsync(0, _ => Task.FromResult(++calls), Attempt, _clock, _ => retried++);

        Assert.Equal(1, answer);
        Assert.Equal((1, 0), (calls, retried));
    }

    [Fact]
    public async Task AnAttemptWithNoAnswerIsAskedOnceMoreAndTheSecondAnswerCounts()
    {
        var lost = new TaskCompletionSource<int>();
        var calls = 0;
        var retried = 0;
        var call = Repeatable.CallAsync(0, _ => ++calls == 1 ? lost.Task : Task.FromResult(2), Attempt, _clock, _ => retried++);
        Assert.False(call.IsCompleted);

        _clock.Advance(Attempt);
        Assert.Equal(2, await call.WaitAsync(Deadline.Default));
        Assert.Equal((2, 1), (calls, retried));

        // The first attempt's late answer changes nothing.
        lost.SetResult(1);
        Assert.Equal(2, await call);
    }

    [Fact]
    public async Task SendsWaitingForALostLeaseGoOnWithTheNextAttempt()
    {
        // Every send of a tab waits for its lease from the session: a lost lease request must not hold them all.
        var lost = new TaskCompletionSource<SendGrant>();
        var leases = 0;
        var allowance = new SendAllowance(
            size => Repeatable.CallAsync(size, s => ++leases == 1 ? lost.Task : Task.FromResult(new SendGrant(s, 0)), Attempt, _clock, _ => { }),
            leaseSize: 4,
            _clock);

        var sends = Enumerable.Range(0, 3).Select(_ => allowance.TakeAsync().AsTask()).ToList();
        Assert.DoesNotContain(sends, s => s.IsCompleted);

        _clock.Advance(Attempt);
        var refusals = await Task.WhenAll(sends).WaitAsync(Deadline.Default);
        Assert.All(refusals, r => Assert.Null(r));
        Assert.Equal(2, leases);
    }
}
