namespace OrleansTabs.Load.Client;

/// <summary>What a workload hears from its tabs; every method may be called concurrently from many receive loops.</summary>
internal class TabSink
{
    private long _errors;
    private string? _firstError;

    /// <summary>Shared by workloads that only connect.</summary>
    public static readonly TabSink None = new();

    /// <summary><c>error</c> frames and failed invocations seen.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The first error frame, for the report.</summary>
    public string? FirstError => _firstError;

    /// <summary>A room message arrived (<paramref name="text"/> is the raw text value).</summary>
    public virtual void OnMessage(Tab tab, long offset, ReadOnlySpan<byte> text)
    {
    }

    /// <summary>A send was acknowledged.</summary>
    public virtual void OnAck(Tab tab, long seq, long offset)
    {
    }

    /// <summary>A stream was reset.</summary>
    public virtual void OnReset(Tab tab)
    {
    }

    /// <summary>A connection ended (1006: without a close frame).</summary>
    public virtual void OnClosed(Tab tab, int code)
    {
    }

    /// <summary>A <c>history</c> frame arrived (the whole frame).</summary>
    public virtual void OnHistory(Tab tab, ReadOnlySpan<byte> frame)
    {
    }

    /// <summary>An error frame arrived.</summary>
    public virtual void OnError(Tab tab, ReadOnlySpan<byte> frame)
    {
        if (Interlocked.Increment(ref _errors) == 1)
        {
            _firstError = System.Text.Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 200)]);
        }
    }
}
