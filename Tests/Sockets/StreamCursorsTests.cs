using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using OrleansTabs.Streams;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>
/// The per-socket ordering rules of <see cref="StreamCursors"/>, without a socket: frames arrive live (fan-out), from a
/// gap repair (the fetch) and from a resume, in any order; the socket must see each stream in order, once, gap-free.
/// </summary>
public sealed class StreamCursorsTests
{
    private const string Stream = "room:cursor";
    private const int MaxHeld = 4;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    private readonly RecordingSink _sink = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly Queue<Func<long, Task<ImmutableArray<StreamMessage>>>> _fetches = new();
    private readonly List<long> _fetchedAfter = [];

    [Fact]
    public void LiveFramesInOrderAreSentInOrder()
    {
        var cursors = Started(head: 0);

        Deliver(cursors, "e1", 1, 2);
        Deliver(cursors, "e1", 3);

        Assert.Equal(Sent("e1", 1, 2, 3), _sink.Summary);
        Assert.Empty(_fetchedAfter);
    }

    [Fact]
    public void FramesAtOrBelowTheCursorAreDropped()
    {
        var cursors = Started(head: 2);

        Deliver(cursors, "e1", 1, 2, 3);
        Deliver(cursors, "e1", 3, 2);
        Deliver(cursors, "e1", 4);

        Assert.Equal(Sent("e1", 3, 4), _sink.Summary);
    }

    [Fact]
    public async Task AGapIsHeldAndRepairedFromTheFetchThenTheHeldFramesFollowOnce()
    {
        var fetched = new TaskCompletionSource<ImmutableArray<StreamMessage>>();
        _fetches.Enqueue(_ => fetched.Task);
        var cursors = Started(head: 0);

        Deliver(cursors, "e1", 1);
        Deliver(cursors, "e1", 4, 5);
        Assert.Equal(Sent("e1", 1), _sink.Summary);
        Assert.Equal([1L], _fetchedAfter);

        // The fetch returns the missing frames and the held ones again: each goes out once, in order.
        fetched.SetResult(Messages("e1", 2, 3, 4));
        Assert.Equal(Sent("e1", 1, 2, 3, 4, 5), await _sink.WaitForAsync(5));
        Deliver(cursors, "e1", 5, 6);
        Assert.Equal(Sent("e1", 1, 2, 3, 4, 5, 6), _sink.Summary);
    }

    [Fact]
    public async Task AGapNoLongerRetainedIsReportedAsResetBeforeTheHeldFrames()
    {
        _fetches.Enqueue(_ => Task.FromResult(ImmutableArray<StreamMessage>.Empty));
        var cursors = Started(head: 1);

        Deliver(cursors, "e1", 7, 8);

        Assert.Equal([$"reset {Stream} gap", .. Sent("e1", 7, 8)], await _sink.WaitForAsync(3));
    }

    [Fact]
    public async Task AFailedRepairIsRetriedOnTheClockRatherThanDeclaredLost()
    {
        _fetches.Enqueue(_ => Task.FromException<ImmutableArray<StreamMessage>>(new SiloUnavailableException("the tab grain is failing over")));
        _fetches.Enqueue(_ => Task.FromResult(Messages("e1", 2)));
        var cursors = Started(head: 1);

        Deliver(cursors, "e1", 3);
        await Infrastructure.Deadline.UntilAsync(() => _fetchedAfter.Count == 1 && _fetches.Count == 1, "the first repair attempt failed");
        Assert.Empty(_sink.Summary);

        // Nothing is retried until the back-off passed on the (fake) clock.
        Assert.Single(_fetchedAfter);
        _clock.Advance(GrainRetry.FirstPause);

        Assert.Equal(Sent("e1", 2, 3), await _sink.WaitForAsync(2));
        Assert.Equal([1L, 1L], _fetchedAfter);
    }

    [Fact]
    public void HeldFramesOverTheBoundCloseTheSocketAsTooSlow()
    {
        var cursors = new StreamCursors(_sink, FetchAsync, MaxHeld, AttemptTimeout, Budget, _clock, NullLogger.Instance);
        cursors.SetInitial(Stream, new StreamPosition("e1", 0));

        // Before the first client frame every stream is held (a resume may come): at most MaxHeld frames wait.
        Deliver(cursors, "e1", 1, 2, 3, 4);
        Assert.Null(_sink.Closed);
        Deliver(cursors, "e1", 5);

        Assert.Same(CloseReason.TooSlow, _sink.Closed);
        Assert.Empty(_sink.Summary);
    }

    [Fact]
    public void FramesHeldDuringAResumeFollowTheReplayWithoutRepeats()
    {
        var cursors = Started(head: 0);
        cursors.Hold([Stream]);

        Deliver(cursors, "e1", 3, 4);
        Assert.Empty(_sink.Summary);

        // The resume replayed up to 3: the held 3 is a repeat, 4 follows.
        cursors.SetPosition(Stream, new StreamPosition("e1", 3));

        Assert.Equal(Sent("e1", 4), _sink.Summary);
        Assert.Empty(_fetchedAfter);
    }

    [Fact]
    public void AnEpochChangeWhileHeldIsResetThenTheNewEpochFollowsInOrder()
    {
        var cursors = Started(head: 0);
        cursors.Hold([Stream]);

        // The stream was rebuilt without its history while the socket held it (its log was lost).
        Deliver(cursors, "e2", 2, 1);
        cursors.SetPosition(Stream, new StreamPosition("e1", 5));

        Assert.Equal([$"reset {Stream} epoch", .. Sent("e2", 1, 2)], _sink.Summary);
        Deliver(cursors, "e2", 3);
        Deliver(cursors, "e1", 6);
        Assert.Equal([$"reset {Stream} epoch", .. Sent("e2", 1, 2, 3), $"reset {Stream} epoch", .. Sent("e1", 6)], _sink.Summary);
    }

    [Fact]
    public void AnEpochChangeLiveIsResetBeforeTheFirstFrameOfTheNewEpoch()
    {
        var cursors = Started(head: 0);

        Deliver(cursors, "e1", 1);
        Deliver(cursors, "e2", 1, 2);

        Assert.Equal([.. Sent("e1", 1), $"reset {Stream} epoch", .. Sent("e2", 1, 2)], _sink.Summary);
    }

    /// <summary>Cursors of a welcomed socket whose first client frame came: live frames flow from <paramref name="head"/>.</summary>
    private StreamCursors Started(long head)
    {
        var cursors = new StreamCursors(_sink, FetchAsync, MaxHeld, AttemptTimeout, Budget, _clock, NullLogger.Instance);
        cursors.SetInitial(Stream, new StreamPosition("e1", head));
        cursors.ReleaseAll();
        return cursors;
    }

    private Task<ImmutableArray<StreamMessage>> FetchAsync(string stream, long after)
    {
        Assert.Equal(Stream, stream);
        _fetchedAfter.Add(after);
        return _fetches.TryDequeue(out var fetch) ? fetch(after) : Task.FromResult(ImmutableArray<StreamMessage>.Empty);
    }

    private static void Deliver(StreamCursors cursors, string epoch, params long[] offsets)
    {
        var messages = Messages(epoch, offsets);
        cursors.Deliver(messages, [.. messages.Select(m => (ReadOnlyMemory<byte>)StreamFrames.Message(m))]);
    }

    private static ImmutableArray<StreamMessage> Messages(string epoch, params long[] offsets) =>
        [.. offsets.Select(o => StreamMessage.Chat(Stream, epoch, o, $"m{o}", "cursor", null, "u", "t", $"text {o}", DateTimeOffset.UnixEpoch))];

    private static string[] Sent(string epoch, params long[] offsets) => [.. offsets.Select(o => $"message {Stream} {epoch}:{o}")];
}
