using System.Buffers;

namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// The upgraded connection's stream as the WebSocket sees it, able to put several WebSocket frames into one write:
/// while <see cref="Coalescing"/> is set, writes are copied into a buffer and complete at once; the next write made
/// without it carries the buffer and itself to the connection together (one flush, one send system call instead of
/// one per frame). The socket's send loop sets it around all but the last frame of a batch.
/// <para>
/// It also carries the socket's keep-alive, so that no socket needs a timer of its own: it records when bytes last
/// arrived, and <see cref="TryPing"/> (called by the front-end's once-a-second sweep) writes a WebSocket ping frame
/// between the WebSocket's own frames. The WebSocket serializes its writes (data, pongs, close); a gate serializes
/// them with the pings, and a ping is only written while no write is in progress and no batch is being gathered.
/// </para>
/// </summary>
internal sealed class CoalescingStream(Stream inner, TimeProvider clock) : Stream
{
    /// <summary>Past this many buffered bytes a write goes out even while coalescing, so a batch never holds much memory.</summary>
    public const int MaxBuffered = 64 * 1024;

    /// <summary>A ping frame from the server (unmasked, FIN, opcode 0x9, no payload).</summary>
    private static readonly byte[] PingFrame = [0x89, 0x00];

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private byte[]? _buffer;
    private int _length;
    private long _lastRead = clock.GetTimestamp();
    private long _pingSentAt;

    /// <summary>Time since bytes last arrived from the peer (any frame: data, pong, close).</summary>
    public TimeSpan SinceLastRead => clock.GetElapsedTime(Volatile.Read(ref _lastRead));

    /// <summary>Time since the ping that nothing has answered yet was written; null when none is outstanding.</summary>
    public TimeSpan? SincePing => Volatile.Read(ref _pingSentAt) is var sent and not 0 ? clock.GetElapsedTime(sent) : null;

    /// <summary>Set by the single writer while it writes all but the last frame of a batch.</summary>
    public bool Coalescing { get; set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (!read.IsCompletedSuccessfully)
        {
            return RecordReadAsync(read);
        }

        var count = read.Result;
        Received(count);
        return new ValueTask<int>(count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Writes a ping frame now if the connection is between writes; false if a write or a batch is in progress (the
    /// connection is busy sending, and the next sweep tries again) or the connection is gone.
    /// </summary>
    public bool TryPing()
    {
        if (!_writeGate.Wait(0, CancellationToken.None))
        {
            return false;
        }

        ValueTask write;
        try
        {
            if (Coalescing || _length > 0)
            {
                _writeGate.Release();
                return false;
            }

            Interlocked.CompareExchange(ref _pingSentAt, clock.GetTimestamp(), 0);
            write = inner.WriteAsync(PingFrame, CancellationToken.None);
        }
        catch (Exception)
        {
            // Whatever failed (the connection is going), the gate is never left held: the WebSocket's writes need it.
            _writeGate.Release();
            return false;
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            _writeGate.Release();
        }
        else
        {
            _ = ReleaseAfterPingAsync(write);
        }

        return true;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_writeGate.Wait(0, CancellationToken.None))
        {
            return WriteAfterGateAsync(buffer, cancellationToken);
        }

        ValueTask write;
        try
        {
            write = WriteGated(buffer, cancellationToken);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }

        return ReleaseWhenDone(write);
    }

    private ValueTask WriteGated(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (Coalescing && _length + buffer.Length <= MaxBuffered)
        {
            Append(buffer.Span);
            return ValueTask.CompletedTask;
        }

        if (_length == 0)
        {
            return inner.WriteAsync(buffer, cancellationToken);
        }

        Append(buffer.Span);
        return WriteBuffered(cancellationToken);
    }

    /// <summary>
    /// Writes one whole text message as a WebSocket frame of its own (from the server: FIN, opcode 0x1, unmasked, no
    /// extension), coalesced like any write. The send loop's data frames take this path instead of the WebSocket's
    /// <c>SendAsync</c>: the header is a few bytes put in front of the payload here, where the WebSocket would take
    /// its send lock, copy the payload into a buffer of its own and flush the connection a second time. The
    /// WebSocket's own frames (pongs, close) still go through <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    /// under the same gate, so frames never interleave.
    /// </summary>
    public ValueTask WriteTextAsync(ReadOnlyMemory<byte> payload)
    {
        if (!_writeGate.Wait(0, CancellationToken.None))
        {
            return WriteTextAfterGateAsync(payload);
        }

        ValueTask write;
        try
        {
            write = WriteTextGated(payload.Span);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }

        return ReleaseWhenDone(write);
    }

    /// <summary>Writes the header of an unmasked, final text frame of <paramref name="length"/> payload bytes; returns its size.</summary>
    internal static int TextFrameHeader(int length, Span<byte> header)
    {
        header[0] = 0x81;
        if (length <= 125)
        {
            header[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            header[1] = 126;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)length);
            return 4;
        }

        header[1] = 127;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)length);
        return 10;
    }

    private ValueTask WriteTextGated(ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[10];
        Append(header[..TextFrameHeader(payload.Length, header)]);
        Append(payload);
        return Coalescing && _length <= MaxBuffered ? ValueTask.CompletedTask : WriteBuffered(CancellationToken.None);
    }

    private async ValueTask WriteTextAfterGateAsync(ReadOnlyMemory<byte> payload)
    {
        await _writeGate.WaitAsync(CancellationToken.None);
        try
        {
            await WriteTextGated(payload.Span);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Writes what is buffered in one write (the connection's stream flushes each write). The buffer goes back to the
    /// pool after every batch: an idle socket holds none.
    /// </summary>
    private ValueTask WriteBuffered(CancellationToken cancellationToken)
    {
        ValueTask write;
        try
        {
            write = inner.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
        }
        catch
        {
            Release();
            throw;
        }

        if (!write.IsCompletedSuccessfully)
        {
            return ReleaseBufferAfterAsync(write);
        }

        write.GetAwaiter().GetResult();
        Release();
        return ValueTask.CompletedTask;
    }

    private async ValueTask ReleaseBufferAfterAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        finally
        {
            Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The WebSocket flushes after every frame: no state machine unless the gate is taken or the flush pends.
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_writeGate.Wait(0, CancellationToken.None))
        {
            return FlushAfterGateAsync(cancellationToken);
        }

        ValueTask flush;
        try
        {
            flush = FlushGated(cancellationToken);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }

        return ReleaseWhenDone(flush).AsTask();
    }

    private ValueTask FlushGated(CancellationToken cancellationToken) =>
        _length == 0 ? new ValueTask(inner.FlushAsync(cancellationToken)) : WriteBuffered(cancellationToken);

    private async Task FlushAfterGateAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await FlushGated(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Releases the write gate once <paramref name="operation"/> (started under it) is done: at once if it already is.</summary>
    private ValueTask ReleaseWhenDone(ValueTask operation)
    {
        if (!operation.IsCompletedSuccessfully)
        {
            return ReleaseAfterAsync(operation);
        }

        operation.GetAwaiter().GetResult();
        _writeGate.Release();
        return ValueTask.CompletedTask;
    }

    // Pooled: an active socket reads all the time, an idle one holds one pending read.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> RecordReadAsync(ValueTask<int> read)
    {
        var count = await read;
        Received(count);
        return count;
    }

    /// <summary>Bytes arrived: the peer is alive, and any ping outstanding is answered (as the WebSocket's own keep-alive counts any data).</summary>
    private void Received(int count)
    {
        if (count > 0)
        {
            Volatile.Write(ref _lastRead, clock.GetTimestamp());
            Volatile.Write(ref _pingSentAt, 0);
        }
    }

    private async ValueTask WriteAfterGateAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await WriteGated(buffer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReleaseAfterAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReleaseAfterPingAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception)
        {
            // The connection is going; its receive loop sees that. Nothing awaits this task, so nothing is thrown from it.
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // Synchronous I/O is never used on this path: the WebSocket only writes and reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not supported.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous writes are not supported.");

    public override void Flush() => throw new NotSupportedException("Synchronous flushes are not supported.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseIfIdle();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        ReleaseIfIdle();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_buffer is null || _buffer.Length < _length + data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + data.Length, 4096));
            _buffer?.AsSpan(0, _length).CopyTo(larger);
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>
    /// Returns the buffer on disposal (an abort disposes the stream from another thread) unless a write holds it: that
    /// write returns it when it ends, so one buffer is never returned twice.
    /// </summary>
    private void ReleaseIfIdle()
    {
        if (_writeGate.Wait(0, CancellationToken.None))
        {
            try
            {
                Release();
            }
            finally
            {
                _writeGate.Release();
            }
        }
    }

    private void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _length = 0;
        }
    }
}
