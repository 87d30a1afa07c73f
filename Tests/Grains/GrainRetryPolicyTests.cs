using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using OrleansTabs.Grains.Tabs;
using OrleansTabs.Sessions;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// The one retry policy of grain calls (<see cref="GrainRetry"/>): a request lost between two silos (after a silo loss
/// or a frozen host) costs its caller one attempt, not the silos' response timeout; a refusal by the cluster is asked
/// again after a pause; what the grain itself threw, and a cancelled call, are not.
/// </summary>
public sealed class GrainRetryPolicyTests
{
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task AnAttemptAnsweredInTimeIsTheOnlyOne()
    {
        var calls = 0;
        var answer = await CallAsync(_ => Task.FromResult(++calls));

        Assert.Equal(1, answer);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AnAttemptWithNoAnswerIsAskedOnceMoreAndTheSecondAnswerCounts()
    {
        var lost = new TaskCompletionSource<int>();
        var calls = 0;
        var call = CallAsync(_ => ++calls == 1 ? lost.Task : Task.FromResult(2));
        Assert.False(call.IsCompleted);

        _clock.Advance(Attempt);
        Assert.Equal(2, await call.WaitAsync(Deadline.Default));
        Assert.Equal(2, calls);

        // The first attempt's late answer changes nothing.
        lost.SetResult(1);
        Assert.Equal(2, await call);
    }

    [Fact]
    public async Task AGrainThatNeverAnswersIsAskedTwiceAndFailsAtTheEndOfTheBudget()
    {
        var calls = 0;
        var call = CallAsync(_ => { calls++; return new TaskCompletionSource<int>().Task; });

        // The clock moves on until the call gives up, however its attempts' timers fall.
        await Deadline.UntilAsync(() => Advanced(TimeSpan.FromMilliseconds(100), call), "the call gave up");
        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ARefusalByTheClusterIsAskedAgainAfterAPause()
    {
        var calls = 0;
        var call = CallAsync(_ => ++calls == 1 ? Task.FromException<int>(new SiloUnavailableException()) : Task.FromResult(2));

        // Nothing is asked again before the pause passed on the (fake) clock.
        Assert.False(call.IsCompleted);
        Assert.Equal(1, calls);

        _clock.Advance(GrainRetry.FirstPause);
        Assert.Equal(2, await call.WaitAsync(Deadline.Default));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task RefusalsAreAskedAgainAtMostMaxAttemptsTimes()
    {
        var calls = 0;
        var call = GrainRetry.CallAsync(0, _ => { calls++; return Task.FromException<int>(new SiloUnavailableException("refused")); }, Attempt, Timeout.InfiniteTimeSpan, _clock, NullLogger.Instance, "test", "refused");

        await Deadline.UntilAsync(() => Advanced(GrainRetry.MaxPause, call), "the call gave up");
        await Assert.ThrowsAsync<SiloUnavailableException>(() => call);
        Assert.Equal(GrainRetry.MaxAttempts, calls);
    }

    [Fact]
    public async Task WhatTheGrainItselfThrewIsNotAskedAgain()
    {
        var calls = 0;
        var call = CallAsync(_ => { calls++; return Task.FromException<int>(new InvalidOperationException("the grain's own failure")); });

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(Deadline.Default));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ACancelledCallEndsItsPauseAndIsNotAskedAgain()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        var call = GrainRetry.CallAsync(0, _ => { calls++; return Task.FromException<int>(new SiloUnavailableException()); }, Attempt, Budget, _clock, NullLogger.Instance, "test", "cancelled", cancel.Token);
        Assert.False(call.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Deadline.Default));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void PausesDoubleUpToTheirCeilingAndAreDrawnFromItsUpperHalf()
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var ceiling = TimeSpan.FromMilliseconds(Math.Min(GrainRetry.FirstPause.TotalMilliseconds * Math.Pow(2, attempt - 1), GrainRetry.MaxPause.TotalMilliseconds));
            var pause = GrainRetry.Pause(attempt, GrainRetry.FirstPause, GrainRetry.MaxPause);
            Assert.InRange(pause, ceiling / 2, ceiling);
        }
    }

    [Fact]
    public async Task SendsWaitingForALostLeaseGoOnWithTheNextAttempt()
    {
        // Every send of a tab waits for its lease from the session: a lost lease request must not hold them all.
        var lost = new TaskCompletionSource<SendGrant>();
        var leases = 0;
        var allowance = new SendAllowance(
            size => GrainRetry.CallAsync(size, s => ++leases == 1 ? lost.Task : Task.FromResult(new SendGrant(s, 0)), Attempt, Budget, _clock, NullLogger.Instance, "test", "lease"),
            leaseSize: 4,
            _clock);

        var sends = Enumerable.Range(0, 3).Select(_ => allowance.TakeAsync().AsTask()).ToList();
        Assert.DoesNotContain(sends, s => s.IsCompleted);

        _clock.Advance(Attempt);
        var refusals = await Task.WhenAll(sends).WaitAsync(Deadline.Default);
        Assert.All(refusals, r => Assert.Null(r));
        Assert.Equal(2, leases);
    }

    /// <summary>Whether <paramref name="call"/> completed; moves the clock on by <paramref name="step"/> if not.</summary>
    private bool Advanced(TimeSpan step, Task call)
    {
        if (!call.IsCompleted)
        {
            _clock.Advance(step);
        }

        return call.IsCompleted;
    }

    private Task<int> CallAsync(Func<int, Task<int>> call) =>
        GrainRetry.CallAsync(0, call, Attempt, Budget, _clock, NullLogger.Instance, "test", "call");
}
