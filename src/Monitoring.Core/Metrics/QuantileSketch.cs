namespace Monitoring.Core.Metrics;

/// <summary>
/// A mergeable quantile sketch with relative accuracy (DDSketch-style): values fall into
/// logarithmic bins of ratio gamma = (1 + a) / (1 - a), so any quantile is answered within
/// a relative error of <see cref="RelativeAccuracy"/> of the true value at that rank. Merging
/// adds bin counts, so minute sketches merge exactly into hour sketches.
/// Bins are bounded by the double range (at most a few thousand for real data); the serialised
/// form is varint-encoded deltas, typically tens of bytes.
/// </summary>
public sealed class QuantileSketch
{
    public const double RelativeAccuracy = 0.01;
    private const byte FormatVersion = 1;
    // Magnitudes below this count as zero (keeps the bin range finite).
    private const double MinMagnitude = 1e-9;

    private static readonly double s_gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double s_logGamma = Math.Log(s_gamma);

    private readonly Dictionary<int, long> _positive = [];
    private readonly Dictionary<int, long> _negative = [];
    private long _zero;

    public long Count { get; private set; }

    public void Add(double value) => Add(value, 1);

    public void Add(double value, long count)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "Only finite values can be added.");
        if (count <= 0) return;
        if (Math.Abs(value) < MinMagnitude) _zero += count;
        else if (value > 0) Increment(_positive, Index(value), count);
        else Increment(_negative, Index(-value), count);
        Count += count;
    }

    public void Merge(QuantileSketch other)
    {
        foreach (var (i, c) in other._positive) Increment(_positive, i, c);
        foreach (var (i, c) in other._negative) Increment(_negative, i, c);
        _zero += other._zero;
        Count += other.Count;
    }

    /// <summary>The value at rank q·(count−1) (lower nearest rank), within the relative accuracy; NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q));
        if (Count == 0) return double.NaN;
        var rank = (long)Math.Floor(q * (Count - 1));
        long seen = 0;
        // Ascending value order: most negative first (largest magnitude bins), then zero, then positive.
        foreach (var i in _negative.Keys.OrderByDescending(k => k))
        {
            seen += _negative[i];
            if (seen > rank) return -BinValue(i);
        }
        seen += _zero;
        if (seen > rank) return 0;
        foreach (var i in _positive.Keys.OrderBy(k => k))
        {
            seen += _positive[i];
            if (seen > rank) return BinValue(i);
        }
        return _positive.Count > 0 ? BinValue(_positive.Keys.Max()) : 0;
    }

    public byte[] ToBytes()
    {
        var buffer = new List<byte>(16 + 4 * (_positive.Count + _negative.Count)) { FormatVersion };
        WriteVarint(buffer, (ulong)_zero);
        WriteBins(buffer, _positive);
        WriteBins(buffer, _negative);
        return [.. buffer];
    }

    public static QuantileSketch FromBytes(ReadOnlySpan<byte> data)
    {
        var sketch = new QuantileSketch();
        if (data.Length == 0) return sketch;
        if (data[0] != FormatVersion) throw new FormatException($"Unknown sketch format {data[0]}.");
        var pos = 1;
        sketch._zero = (long)ReadVarint(data, ref pos);
        sketch.Count = sketch._zero;
        sketch.Count += ReadBins(data, ref pos, sketch._positive);
        sketch.Count += ReadBins(data, ref pos, sketch._negative);
        return sketch;
    }

    private static int Index(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) / s_logGamma);

    // The point of the bin (gamma^(i-1), gamma^i] whose relative distance to both ends is a.
    private static double BinValue(int i) => 2 * Math.Pow(s_gamma, i) / (s_gamma + 1);

    private static void Increment(Dictionary<int, long> bins, int index, long count)
    {
        bins.TryGetValue(index, out var c);
        bins[index] = c + count;
    }

    private static void WriteBins(List<byte> buffer, Dictionary<int, long> bins)
    {
        WriteVarint(buffer, (ulong)bins.Count);
        var previous = 0;
        foreach (var i in bins.Keys.Order())
        {
            WriteVarint(buffer, ZigZag(i - previous));
            WriteVarint(buffer, (ulong)bins[i]);
            previous = i;
        }
    }

    private static long ReadBins(ReadOnlySpan<byte> data, ref int pos, Dictionary<int, long> bins)
    {
        var n = (int)ReadVarint(data, ref pos);
        long total = 0;
        var index = 0;
        for (var k = 0; k < n; k++)
        {
            var delta = ReadVarint(data, ref pos);
            index += (int)((long)(delta >> 1) ^ -(long)(delta & 1));
            var c = (long)ReadVarint(data, ref pos);
            bins[index] = c;
            total += c;
        }
        return total;
    }

    private static ulong ZigZag(int v) => (ulong)(uint)((v << 1) ^ (v >> 31));

    private static void WriteVarint(List<byte> buffer, ulong v)
    {
        while (v >= 0x80)
        {
            buffer.Add((byte)(v | 0x80));
            v >>= 7;
        }
        buffer.Add((byte)v);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong v = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new FormatException("Truncated sketch.");
            var b = data[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw new FormatException("Malformed varint in sketch.");
    }
}
