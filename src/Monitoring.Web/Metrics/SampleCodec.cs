using System.Buffers.Binary;
using System.Numerics;

namespace Monitoring.Web.Metrics;

/// <summary>One stored sample of a series: Unix ms → value.</summary>
public readonly record struct StoredSample(long Ts, double Value);

/// <summary>A growable byte buffer for the encoders (reused between calls; not thread-safe).</summary>
internal sealed class ByteWriter(int capacity = 256)
{
    private byte[] _buffer = new byte[capacity];

    public int Length { get; private set; }
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);
    public void Clear() => Length = 0;
    public byte[] ToArray() => Written.ToArray();

    private Span<byte> Reserve(int n)
    {
        if (Length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(Length + n, _buffer.Length * 2));
        return _buffer.AsSpan(Length, n);
    }

    public void WriteByte(byte b)
    {
        Reserve(1)[0] = b;
        Length++;
    }

    public void WriteVarint(ulong v)
    {
        var span = Reserve(10);
        var n = 0;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[n++] = (byte)v;
        Length += n;
    }

    public void WriteSigned(long v) => WriteVarint(SampleCodec.ZigZag(v));

    public void WriteUInt64(ulong v)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), v);
        Length += 8;
    }

    /// <summary>The low <paramref name="count"/> bytes of <paramref name="v"/>, most significant first.</summary>
    public void WriteLowBytes(ulong v, int count)
    {
        var span = Reserve(count);
        for (var i = count - 1; i >= 0; i--, v >>= 8) span[i] = (byte)v;
        Length += count;
    }
}

/// <summary>Reads what <see cref="ByteWriter"/> wrote.</summary>
internal ref struct ByteReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly bool End => _pos >= _data.Length;

    public byte ReadByte() => _pos < _data.Length ? _data[_pos++] : throw Corrupt();

    public ulong ReadVarint()
    {
        ulong v = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw Corrupt();
    }

    public long ReadSigned() => SampleCodec.UnZigZag(ReadVarint());

    public ulong ReadUInt64()
    {
        if (_pos + 8 > _data.Length) throw Corrupt();
        var v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_pos, 8));
        _pos += 8;
        return v;
    }

    public ulong ReadHighFirst(int count)
    {
        if (_pos + count > _data.Length) throw Corrupt();
        ulong v = 0;
        for (var i = 0; i < count; i++) v = (v << 8) | _data[_pos++];
        return v;
    }

    private static InvalidDataException Corrupt() => new("A stored sample block is truncated or corrupt.");
}

/// <summary>
/// The two encodings of raw samples.
/// <para><b>Chunk</b> (one series, <c>metric_chunks.Data</c>): a version byte, then per sample its
/// timestamp as a zigzag varint (the first absolute, the second its delta, then delta-of-delta, all
/// with wrapping arithmetic so any sequence round-trips, including equal and decreasing timestamps)
/// followed by its value XOR the previous value's bits: one byte 0 when they are equal (a repeat),
/// else a control byte <c>1 + 8·leadingZeroBytes + trailingZeroBytes</c> and the bytes in between.
/// Regular timestamps cost one byte; repeated values one byte; integers and short decimals 3–5.</para>
/// <para><b>Log payload</b> (all series of one group commit, <c>metric_ingest_log.Payload</c>): per
/// sample the series id as a varint, the timestamp as a zigzag varint delta from the previous
/// sample's, and the value's 8 bytes. Cheap to write on the commit path.</para>
/// </summary>
public static class SampleCodec
{
    public const byte ChunkVersion = 1;

    internal static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));
    internal static long UnZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    /// <summary>Encodes samples as one chunk, in the given order.</summary>
    public static byte[] EncodeChunk(ReadOnlySpan<StoredSample> samples)
    {
        var w = new ByteWriter(16 + samples.Length * 4);
        var encoder = new ChunkEncoder(w);
        foreach (var s in samples) encoder.Add(s.Ts, s.Value);
        return w.ToArray();
    }

    /// <summary>Appends the samples of a chunk to <paramref name="into"/>, in stored order.</summary>
    public static void DecodeChunk(ReadOnlySpan<byte> data, List<StoredSample> into)
    {
        var r = new ByteReader(data);
        if (r.ReadByte() != ChunkVersion) throw new InvalidDataException("Unknown chunk version.");
        long ts = 0, delta = 0;
        ulong bits = 0;
        for (var i = 0; !r.End; i++)
        {
            var t = r.ReadSigned();
            if (i == 0) ts = t;
            else
            {
                delta = i == 1 ? t : unchecked(delta + t);
                ts = unchecked(ts + delta);
            }
            if (i == 0) bits = r.ReadUInt64();
            else
            {
                var control = r.ReadByte();
                if (control != 0)
                {
                    var c = control - 1;
                    int lz = c >> 3, tz = c & 7;
                    var middle = 8 - lz - tz;
                    if (middle <= 0) throw new InvalidDataException("A stored sample block is corrupt.");
                    bits ^= r.ReadHighFirst(middle) << (8 * tz);
                }
            }
            into.Add(new StoredSample(ts, BitConverter.UInt64BitsToDouble(bits)));
        }
    }

    public static List<StoredSample> DecodeChunk(ReadOnlySpan<byte> data)
    {
        var list = new List<StoredSample>();
        DecodeChunk(data, list);
        return list;
    }

    /// <summary>Appends one commit's samples to <paramref name="w"/> as a log payload.</summary>
    internal static void EncodeLog(ByteWriter w, ReadOnlySpan<(long SeriesId, long Ts, double Value)> rows)
    {
        long prev = 0;
        foreach (var (seriesId, ts, value) in rows)
        {
            w.WriteVarint((ulong)seriesId);
            w.WriteSigned(unchecked(ts - prev));
            w.WriteUInt64(BitConverter.DoubleToUInt64Bits(value));
            prev = ts;
        }
    }

    internal static void DecodeLog(ReadOnlySpan<byte> payload, List<(long SeriesId, long Ts, double Value)> into)
    {
        var r = new ByteReader(payload);
        long prev = 0;
        while (!r.End)
        {
            var seriesId = (long)r.ReadVarint();
            var ts = unchecked(prev + r.ReadSigned());
            into.Add((seriesId, ts, BitConverter.UInt64BitsToDouble(r.ReadUInt64())));
            prev = ts;
        }
    }
}

/// <summary>Streams samples into a chunk (see <see cref="SampleCodec"/>); <see cref="Size"/> lets the caller cut chunks by size.</summary>
internal sealed class ChunkEncoder
{
    private readonly ByteWriter _w;
    private readonly int _start;
    private long _ts, _delta;
    private ulong _bits;

    public ChunkEncoder(ByteWriter w)
    {
        _w = w;
        _start = w.Length;
        w.WriteByte(SampleCodec.ChunkVersion);
    }

    public int Count { get; private set; }
    public int Size => _w.Length - _start;

    public void Add(long ts, double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        if (Count == 0)
        {
            _w.WriteSigned(ts);
            _w.WriteUInt64(bits);
        }
        else
        {
            var delta = unchecked(ts - _ts);
            _w.WriteSigned(Count == 1 ? delta : unchecked(delta - _delta));
            _delta = delta;
            var xor = bits ^ _bits;
            if (xor == 0) _w.WriteByte(0);
            else
            {
                var lz = BitOperations.LeadingZeroCount(xor) >> 3;
                var tz = BitOperations.TrailingZeroCount(xor) >> 3;
                _w.WriteByte((byte)(1 + 8 * lz + tz));
                _w.WriteLowBytes(xor >> (8 * tz), 8 - lz - tz);
            }
        }
        _ts = ts;
        _bits = bits;
        Count++;
    }
}
