using System.Buffers;

namespace OrleansTabs.Web.Sockets;

/// <summary>
/// The upgraded connection's stream as the WebSocket sees it, able to put several WebSocket frames into one write:
/// while <see cref="Coalescing"/> is set, writes are copied into a buffer and complete at once; the next write made
/// without it carries the buffer and itself to the connection together (one flush, one send system call instead of
/// one per frame). The socket's send loop sets it around all but the last frame of a batch. The WebSocket serializes
/// its own writes (data, pings, pongs, close), so writes never overlap; a keep-alive ping written during a batch goes
/// out with that batch's last frame.
/// </summary>
public sealed class CoalescingStream(Stream inner) : Stream
{
    /// <summary>Past this many buffered bytes a write goes out even while coalescing, so a batch never holds much memory.</summary>
    public const int MaxBuffered = 64 * 1024;

    private byte[]? _buffer;
    private int _length;

    /// <summary>Set by the single writer while it writes all but the last frame of a batch.</summary>
    public bool Coalescing { get; set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
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
        return WriteBufferedAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _length == 0 ? inner.FlushAsync(cancellationToken) : WriteBufferedAsync(cancellationToken).AsTask();

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
            Release();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Release();
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

    private async ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        var length = _length;
        _length = 0;
        try
        {
            await inner.WriteAsync(_buffer.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            // Back to the pool after every batch: an idle socket holds no buffer.
            Release();
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
