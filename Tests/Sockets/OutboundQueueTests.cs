using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>A socket's outbound queue: bounded, in order, one waiting reader woken by a write or by the end.</summary>
public sealed class OutboundQueueTests
{
    private static ReadOnlyMemory<byte> Frame(byte b) => new[] { b };

    [Fact]
    public void TheQueueIsBoundedInBytesButAnEmptyQueueTakesOneLargeFrame()
    {
        var queue = new OutboundQueue(capacity: 100, byteCapacity: 1000);
        Assert.True(queue.TryWrite(new byte[5000]));
        Assert.False(queue.TryWrite(new byte[1]));
        Assert.True(queue.TryRead(out _, out _));
        Assert.Equal(0, queue.Bytes);

        Assert.True(queue.TryWrite(new byte[600]));
        Assert.True(queue.TryWrite(new byte[400]));
        Assert.False(queue.TryWrite(new byte[1]));
        Assert.Equal(1000, queue.Bytes);
        Assert.True(queue.TryRead(out var first, out _));
        Assert.Equal(600, first.Length);
        Assert.True(queue.TryWrite(new byte[600]));
        Assert.Equal(1000, queue.Bytes);
    }

    [Fact]
    public async Task FramesComeOutInOrderAndAFullQueueRefuses()
    {
        var queue = new OutboundQueue(capacity: 3, byteCapacity: long.MaxValue);
        Assert.True(queue.TryWrite(Frame(1)));
        Assert.True(queue.TryWrite(Frame(2)));
        Assert.True(queue.TryWrite(Frame(3)));
        Assert.False(queue.TryWrite(Frame(4)));

        Assert.True(await queue.WaitToReadAsync());
        var read = new List<byte>();
        var behind = new List<bool>();
        while (queue.TryRead(out var frame, out var more))
        {
            read.Add(frame.Span[0]);
            behind.Add(more);
        }

        Assert.Equal([1, 2, 3], read);
        Assert.Equal([true, true, false], behind);
        Assert.True(queue.TryWrite(Frame(5)));
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByEachWriteAgain()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        for (byte i = 1; i <= 3; i++)
        {
            var waiting = queue.WaitToReadAsync().AsTask();
            Assert.False(waiting.IsCompleted);
            Assert.True(queue.TryWrite(Frame(i)));
            Assert.True(await waiting.WaitAsync(Deadline.Default));
            Assert.True(queue.TryRead(out var frame, out _));
            Assert.Equal(i, frame.Span[0]);
        }
    }

    [Fact]
    public async Task CompletionDrainsWhatIsQueuedThenEndsTheReaderAndRefusesWrites()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        queue.TryWrite(Frame(1));
        queue.Complete();
        Assert.False(queue.TryWrite(Frame(2)));

        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryRead(out _, out _));
        Assert.False(await queue.WaitToReadAsync());

        var idle = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        var waiting = idle.WaitToReadAsync().AsTask();
        idle.Complete();
        idle.Complete();
        Assert.False(await waiting.WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task ConcurrentWritersLoseNothingAndKeepEachWritersOrder()
    {
        const int writers = 4, perWriter = 2_000;
        var queue = new OutboundQueue(capacity: writers * perWriter, byteCapacity: long.MaxValue);
        var reading = Task.Run(async () =>
        {
            var seen = new List<(int Writer, int Seq)>();
            while (seen.Count < writers * perWriter && await queue.WaitToReadAsync())
            {
                while (queue.TryRead(out var frame, out _))
                {
                    seen.Add((frame.Span[0], BitConverter.ToInt32(frame.Span[1..])));
                }
            }

            return seen;
        });
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var frame = new byte[5];
                frame[0] = (byte)w;
                BitConverter.TryWriteBytes(frame.AsSpan(1), i);
                Assert.True(queue.TryWrite(frame));
            }
        })));

        var seen = await reading.WaitAsync(Deadline.Default);
        Assert.Equal(writers * perWriter, seen.Count);
        foreach (var group in seen.GroupBy(s => s.Writer))
        {
            Assert.Equal(Enumerable.Range(0, perWriter), group.Select(s => s.Seq));
        }
    }

    [Fact]
    public async Task AWriterThatFindsTheReaderParkedClaimsTheQueueAndTheReaderStaysParked()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        var waiting = queue.WaitToReadAsync().AsTask();

        Assert.Equal(QueueWrite.Claimed, queue.TryWrite(Frame(1), mayClaim: true));
        Assert.Equal(QueueWrite.Queued, queue.TryWrite(Frame(2), mayClaim: true));
        Assert.Equal(QueueWrite.Queued, queue.TryWrite(Frame(3), mayClaim: false));
        Assert.False(waiting.IsCompleted);

        // The claimant writes what is queued; a frame that arrives meanwhile keeps the claim until it is written too.
        Assert.True(queue.TryRead(out var first, out _));
        Assert.True(queue.TryRead(out var second, out _));
        Assert.False(queue.TryReleaseClaim());
        Assert.True(queue.TryRead(out var third, out var more));
        Assert.False(more);
        Assert.True(queue.TryReleaseClaim());
        Assert.Equal([1, 2, 3], new[] { first.Span[0], second.Span[0], third.Span[0] });
        Assert.False(waiting.IsCompleted);

        // Parked again on the same wait: an ordinary write wakes it.
        Assert.Equal(QueueWrite.Queued, queue.TryWrite(Frame(4), mayClaim: false));
        Assert.True(await waiting.WaitAsync(Deadline.Default));
        Assert.True(queue.TryRead(out var fourth, out _));
        Assert.Equal(4, fourth.Span[0]);
    }

    [Fact]
    public async Task AHandedOffWriteWakesTheReaderWhichTakesItOnce()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.Equal(QueueWrite.Claimed, queue.TryWrite(Frame(1), mayClaim: true));
        Assert.True(queue.TryRead(out _, out _));
        var pending = new TaskCompletionSource();
        Assert.Equal(QueueWrite.Queued, queue.TryWrite(Frame(2), mayClaim: true));

        queue.HandOff(new ValueTask(pending.Task));

        Assert.True(await waiting.WaitAsync(Deadline.Default));
        var handedOff = queue.TakeHandOff()?.AsTask();
        Assert.NotNull(handedOff);
        Assert.Null(queue.TakeHandOff()?.AsTask());
        Assert.False(handedOff.IsCompleted);
        pending.SetResult();
        await handedOff.WaitAsync(Deadline.Default);
        Assert.True(queue.TryRead(out var behind, out _));
        Assert.Equal(2, behind.Span[0]);
    }

    [Fact]
    public async Task CompletionDuringAClaimEndsTheReaderOnlyWhenTheClaimIsGivenBack()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.Equal(QueueWrite.Claimed, queue.TryWrite(Frame(1), mayClaim: true));

        queue.Complete();
        Assert.Equal(QueueWrite.Refused, queue.TryWrite(Frame(2), mayClaim: true));
        Assert.False(waiting.IsCompleted);

        Assert.False(queue.TryReleaseClaim());
        Assert.True(queue.TryRead(out _, out _));
        Assert.True(queue.TryReleaseClaim());
        Assert.False(await waiting.WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task AClaimGivenBackToStopWakesTheReaderWhateverIsQueued()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.Equal(QueueWrite.Claimed, queue.TryWrite(Frame(1), mayClaim: true));

        Assert.True(queue.TryReleaseClaim(stop: true));
        Assert.True(await waiting.WaitAsync(Deadline.Default));
    }

    [Fact]
    public void AFullQueueRefusesAClaim()
    {
        var queue = new OutboundQueue(capacity: 1, byteCapacity: long.MaxValue);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.Equal(QueueWrite.Claimed, queue.TryWrite(Frame(1), mayClaim: true));
        Assert.Equal(QueueWrite.Refused, queue.TryWrite(Frame(2), mayClaim: true));
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public void TheOldestFramesWaitIsSampledAsALowerBoundWhileTheReaderIsStuck()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        Assert.Equal(100, queue.QueuedSince(100));

        Assert.True(queue.TryWrite(Frame(1)));
        Assert.Equal(200, queue.QueuedSince(200));
        Assert.True(queue.TryWrite(Frame(2)));

        // Nothing read: the first frame has waited since the first sample at least, however late it is asked.
        Assert.Equal(200, queue.QueuedSince(300));
        Assert.Equal(200, queue.QueuedSince(9_000));
    }

    [Fact]
    public void AReaderThatPassesEachMarkRestartsTheWaitThoughTheQueueNeverEmpties()
    {
        var queue = new OutboundQueue(capacity: 8, byteCapacity: long.MaxValue);
        queue.TryWrite(Frame(1));
        queue.TryWrite(Frame(2));
        queue.TryWrite(Frame(3));
        Assert.Equal(100, queue.QueuedSince(100));

        // The mark is the third frame: until it is read, every frame ahead of it has waited since 100.
        Assert.True(queue.TryRead(out _, out _));
        queue.TryWrite(Frame(4));
        Assert.Equal(100, queue.QueuedSince(200));

        Assert.True(queue.TryRead(out _, out _));
        Assert.True(queue.TryRead(out _, out var more));
        Assert.True(more);
        Assert.Equal(300, queue.QueuedSince(300));

        queue.TryWrite(Frame(5));
        Assert.True(queue.TryRead(out _, out _));
        Assert.Equal(400, queue.QueuedSince(400));
        Assert.True(queue.TryRead(out _, out _));
        Assert.Equal(500, queue.QueuedSince(500));
    }

    [Fact]
    public void ADrainedQueueGivesBackTheEntriesOfADeepBurstAndKeepsThoseOfAShallowOne()
    {
        var queue = new OutboundQueue(capacity: 4096, byteCapacity: long.MaxValue);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryWrite(Frame(1)));
        }

        while (queue.TryRead(out _, out _))
        {
        }

        var shallow = queue.Entries;
        Assert.InRange(shallow, 100, OutboundQueue.RetainedEntries);

        for (var i = 0; i < 4096; i++)
        {
            Assert.True(queue.TryWrite(Frame(1)));
        }

        Assert.Equal(4096, queue.Entries);
        while (queue.TryRead(out _, out _))
        {
        }

        Assert.InRange(queue.Entries, 0, OutboundQueue.RetainedEntries);
        Assert.True(queue.TryWrite(Frame(2)));
        Assert.True(queue.TryRead(out var again, out _));
        Assert.Equal(2, again.Span[0]);
    }
}
