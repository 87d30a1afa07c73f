namespace OrleansTabs.Grains.Diagnostics;

/// <summary>
/// Tells a pause of the whole process (a stop-the-world pause, a frozen VM, a process stopped and continued) from time
/// passing: a periodic task that did not run for longer than <see cref="Threshold"/> was paused, and everything it times
/// (silences, pending writes, unanswered pings) grew by the pause though no peer did anything. <see cref="Check"/> is
/// called on every tick; it answers whether the last pause ended less than a grace period ago. The front-end's sweep
/// judges no socket during that grace; the front-end directory extends its leases by <see cref="LastPause"/>.
/// </summary>
public sealed class PauseWatch(TimeProvider clock, TimeSpan threshold)
{
    private long _last;
    private long _graceUntil;

    /// <summary>Longer than this between two ticks, the process was paused.</summary>
    public TimeSpan Threshold { get; } = threshold;

    /// <summary>How long the pause that started the current grace period lasted (zero before the first one).</summary>
    public TimeSpan LastPause { get; private set; }

    /// <summary>Whether the last <see cref="Check"/> found the end of a pause (reset by the next one).</summary>
    public bool Paused { get; private set; }

    /// <summary>Records a tick; true while within <paramref name="grace"/> after the end of a pause.</summary>
    public bool Check(TimeSpan grace)
    {
        var now = clock.GetTimestamp();
        Paused = false;
        var since = _last == 0 ? TimeSpan.Zero : clock.GetElapsedTime(_last, now);
        _last = now;
        if (since > Threshold)
        {
            LastPause = since;
            _graceUntil = now + (long)(grace.TotalSeconds * clock.TimestampFrequency);
            Paused = true;
        }

        return now < _graceUntil;
    }
}
