using System.Numerics;

namespace OrleansTabs.Load.Reporting;

/// <summary>
/// A lock-free log-linear latency histogram in microseconds (32 sub-buckets per power of two, about 3 % precision),
/// safe to record into from every receive loop at once.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 5;
    private const int Sub = 1 << SubBits;
    private const int Linear = 2 * Sub;
    private readonly long[] _counts = new long[Linear + (64 * Sub)];
    private long _count;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The largest value recorded, in milliseconds.</summary>
    public double MaxMs => Interlocked.Read(ref _max) / 1000.0;

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[Index(value)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), in milliseconds; NaN when empty.</summary>
    public double PercentileMs(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(Middle(i), Interlocked.Read(ref _max)) / 1000.0;
            }
        }

        return MaxMs;
    }

    private static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)v) - SubBits;
        return Linear + ((shift - 1) * Sub) + (int)((v >> shift) - Sub);
    }

    private static double Middle(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var k = index - Linear;
        var shift = (k / Sub) + 1;
        var low = (long)((k % Sub) + Sub) << shift;
        return low + ((1L << shift) / 2.0);
    }
}
