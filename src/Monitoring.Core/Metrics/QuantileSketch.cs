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

    private readonly BinStore _positive = new();
    private readonly BinStore _negative = new();
    private long _zero;

    public long Count { get; private set; }

    public void Add(double value) => Add(value, 1);

    public void Add(double value, long count)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "Only finite values can be added.");
        if (count <= 0) return;
        if (Math.Abs(value) < MinMagnitude) _zero += count;
        else if (value > 0) _positive.Add(Index(value), count);
        else _negative.Add(Index(-value), count);
        Count += count;
    }

    /// <summary>Empties the sketch but keeps its bin arrays, so one sketch can be reused for bucket after bucket.</summary>
    public void Clear()
    {
        _positive.Clear();
        _negative.Clear();
        _zero = 0;
        Count = 0;
    }

    public void Merge(QuantileSketch other)
    {
        _positive.Merge(other._positive);
        _negative.Merge(other._negative);
        _zero += other._zero;
        Count += other.Count;
    }

    /// <summary>Adds a serialised sketch without materialising it (the rollup read path).</summary>
    public void MergeBytes(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        if (data[0] != FormatVersion) throw new FormatException($"Unknown sketch format {data[0]}.");
        var pos = 1;
        var zero = (long)ReadVarint(data, ref pos);
        _zero += zero;
        Count += zero;
        Count += ReadBins(data, ref pos, _positive);
        Count += ReadBins(data, ref pos, _negative);
    }

    /// <summary>The value at rank q·(count−1) (lower nearest rank), within the relative accuracy; NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q));
        if (Count == 0) return double.NaN;
        var rank = (long)Math.Floor(q * (Count - 1));
        long seen = 0;
        // Ascending value order: most negative first (largest magnitude bins), then zero, then positive.
        for (var i = _negative.MaxIndex; i >= _negative.MinIndex; i--)
        {
            seen += _negative[i];
            if (seen > rank) return -BinValue(i);
        }
        seen += _zero;
        if (seen > rank) return 0;
        for (var i = _positive.MinIndex; i <= _positive.MaxIndex; i++)
        {
            seen += _positive[i];
            if (seen > rank) return BinValue(i);
        }
        return _positive.IsEmpty ? 0 : BinValue(_positive.MaxIndex);
    }

    public byte[] ToBytes()
    {
        var buffer = new List<byte>(16 + 4 * (_positive.NonEmpty + _negative.NonEmpty)) { FormatVersion };
        WriteVarint(buffer, (ulong)_zero);
        WriteBins(buffer, _positive);
        WriteBins(buffer, _negative);
        return [.. buffer];
    }

    public static QuantileSketch FromBytes(ReadOnlySpan<byte> data)
    {
        var sketch = new QuantileSketch();
        sketch.MergeBytes(data);
        return sketch;
    }

    private static int Index(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) / s_logGamma);

    // The point of the bin (gamma^(i-1), gamma^i] whose relative distance to both ends is a.
    private static double BinValue(int i) => 2 * Math.Pow(s_gamma, i) / (s_gamma + 1);

    private static void WriteBins(List<byte> buffer, BinStore bins)
    {
        WriteVarint(buffer, (ulong)bins.NonEmpty);
        var previous = 0;
        for (var i = bins.MinIndex; i <= bins.MaxIndex; i++)
        {
            var c = bins[i];
            if (c == 0) continue;
            WriteVarint(buffer, ZigZag(i - previous));
            WriteVarint(buffer, (ulong)c);
            previous = i;
        }
    }

    private static long ReadBins(ReadOnlySpan<byte> data, ref int pos, BinStore bins)
    {
        var n = (int)ReadVarint(data, ref pos);
        long total = 0;
        var index = 0;
        for (var k = 0; k < n; k++)
        {
            var delta = ReadVarint(data, ref pos);
            index += (int)((long)(delta >> 1) ^ -(long)(delta & 1));
            var c = (long)ReadVarint(data, ref pos);
            bins.Add(index, c);
            total += c;
        }
        return total;
    }

    /// <summary>
    /// Dense counts over the contiguous index range in use (grows at either end). The range is
    /// bounded by the double range: about 71,000 bins at most, a few hundred for real data.
    /// </summary>
    private sealed class BinStore
    {
        private long[] _counts = [];
        private int _offset;     // index of _counts[0]
        private int _min = int.MaxValue, _max = int.MinValue;

        public bool IsEmpty => _min > _max;
        public int MinIndex => _min;
        public int MaxIndex => _max;
        public long this[int index] => index >= _offset && index - _offset < _counts.Length ? _counts[index - _offset] : 0;

        public int NonEmpty
        {
            get
            {
                var n = 0;
                for (var i = _min; i <= _max; i++) if (this[i] != 0) n++;
                return n;
            }
        }

        public void Clear()
        {
            if (!IsEmpty) Array.Clear(_counts, _min - _offset, _max - _min + 1);
            _min = int.MaxValue;
            _max = int.MinValue;
        }

        public void Add(int index, long count)
        {
            if (IsEmpty)
            {
                // After Clear the array is all zeros and is reused, re-centred on the new index.
                if (_counts.Length == 0) _counts = new long[64];
                _offset = index - _counts.Length / 2;
                _min = _max = index;
            }
            else if (index < _offset || index >= _offset + _counts.Length)
            {
                var lo = Math.Min(index, _min);
                var hi = Math.Max(index, _max);
                var grown = new long[Math.Max(_counts.Length * 2, hi - lo + 65)];
                var newOffset = lo - (grown.Length - (hi - lo + 1)) / 2;
                Array.Copy(_counts, _min - _offset, grown, _min - newOffset, _max - _min + 1);
                _counts = grown;
                _offset = newOffset;
            }
            _counts[index - _offset] += count;
            if (index < _min) _min = index;
            if (index > _max) _max = index;
        }

        public void Merge(BinStore other)
        {
            for (var i = other._min; i <= other._max; i++)
            {
                var c = other[i];
                if (c != 0) Add(i, c);
            }
        }
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
