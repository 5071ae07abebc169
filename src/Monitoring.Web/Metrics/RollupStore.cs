using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Monitoring.Core.Metrics;
using SQLitePCL;

namespace Monitoring.Web.Metrics;

/// <summary>One minute's rollup of one series (the sketch serialised by <see cref="QuantileSketch.ToBytes"/>).</summary>
public readonly record struct MinuteRollup(long Count, double Sum, double Min, double Max, byte[] Sketch)
{
    public static MinuteRollup From(BucketAccumulator a) => new(a.Count, a.Sum, a.Min, a.Max, a.Sketch?.ToBytes() ?? []);
}

/// <summary>
/// Minute rollups packed per (series, hour): one row of <c>metric_rollups_1m</c> holds the hour's
/// 60 minute slots, so a 30-day query reads 720 rows a series instead of 43,200.
/// <para>Columns: <c>SeriesId</c>, <c>Ts</c> (the hour's start, Unix ms), <c>Mask</c> (bit i set when
/// minute i has a rollup), <c>Stats</c>, <c>Sketches</c>. With n = popcount(Mask), in slot order:</para>
/// <list type="bullet">
/// <item><c>Stats</c> (little-endian): byte 0 = format 1, bytes 1–7 zero, then double Sum[n], double Min[n],
/// double Max[n], int32 Count[n]. Read as spans without copying or parsing.</item>
/// <item><c>Sketches</c>: byte 0 = format 1, bytes 1–3 zero, int32 End[n + b], then the sketch bytes: the n
/// minute sketches, then one merged sketch per non-empty 5-minute block (b of them, block k = minutes
/// 5k..5k+4). End[i] is the exclusive end of sketch i within the bytes. Only percentile queries read
/// this column; a bucket that covers a whole block merges one block sketch instead of five minute ones.</item>
/// </list>
/// Merging sketches adds bin counts, so block and hour sketches equal the merge of their minutes exactly.
/// </summary>
public static class RollupStore
{
    public const string MinuteTable = "metric_rollups_1m";
    public const string LegacyMinuteTable = "metric_rollups_1m_legacy";
    public const int Slots = 60;
    public const int BlockMinutes = 5;
    public const int Blocks = Slots / BlockMinutes;
    public const long MinuteMs = 60_000;
    public const long HourMs = 3_600_000;
    /// <summary>How much of the database file a bucketed query maps into memory (address space only).</summary>
    public const long QueryMmapBytes = 1L << 30;
    private const byte Format = 1;
    private const int StatsHeader = 8;
    private const int SketchHeader = 4;

    public static long HourOf(long ts) => ts - (((ts % HourMs) + HourMs) % HourMs);

    /// <summary>The mask of slots [lo, hi).</summary>
    public static ulong SlotRange(int lo, int hi) => hi <= lo ? 0 : (hi >= 64 ? ulong.MaxValue : (1UL << hi) - 1) & ~((1UL << lo) - 1);

    /// <summary>Bit k set when 5-minute block k has at least one minute.</summary>
    public static int BlockMask(ulong mask)
    {
        var blocks = 0;
        for (var k = 0; k < Blocks; k++)
            if ((mask & (0x1FUL << (k * BlockMinutes))) != 0) blocks |= 1 << k;
        return blocks;
    }

    // ---- Encoding (write path) -------------------------------------------------------------

    /// <summary>An hour of minute slots being written (decoded from its row, changed, encoded again).</summary>
    public sealed class PackedHour
    {
        private readonly MinuteRollup[] _slots = new MinuteRollup[Slots];

        public ulong Mask { get; private set; }
        public int Minutes => BitOperations.PopCount(Mask);
        public bool Has(int slot) => (Mask & (1UL << slot)) != 0;
        public MinuteRollup this[int slot] => _slots[slot];

        public void Set(int slot, MinuteRollup rollup)
        {
            _slots[slot] = rollup;
            Mask |= 1UL << slot;
        }

        public void Remove(int slot)
        {
            _slots[slot] = default;
            Mask &= ~(1UL << slot);
        }

        public static PackedHour Decode(ulong mask, ReadOnlySpan<byte> stats, ReadOnlySpan<byte> sketches)
        {
            var hour = new PackedHour();
            var view = new StatsView(mask, stats);
            var sk = new SketchView(mask, sketches);
            var j = 0;
            for (var m = mask; m != 0; m &= m - 1, j++)
            {
                var slot = BitOperations.TrailingZeroCount(m);
                hour.Set(slot, new MinuteRollup(view.Count[j], view.Sum[j], view.Min[j], view.Max[j], sk.Minute(j).ToArray()));
            }
            return hour;
        }

        public byte[] EncodeStats()
        {
            var n = Minutes;
            var bytes = new byte[StatsHeader + 28 * n];
            bytes[0] = Format;
            var j = 0;
            for (var m = Mask; m != 0; m &= m - 1, j++)
            {
                var r = _slots[BitOperations.TrailingZeroCount(m)];
                if (r.Count is <= 0 or > int.MaxValue) throw new InvalidOperationException($"A minute rollup count of {r.Count} cannot be packed.");
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(StatsHeader + 8 * j), r.Sum);
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(StatsHeader + 8 * (n + j)), r.Min);
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(StatsHeader + 8 * (2 * n + j)), r.Max);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(StatsHeader + 24 * n + 4 * j), (int)r.Count);
            }
            return bytes;
        }

        /// <summary>Minute sketches, then the block sketches recomputed from them.</summary>
        public byte[] EncodeSketches()
        {
            var parts = new List<byte[]>(Minutes + Blocks);
            for (var m = Mask; m != 0; m &= m - 1) parts.Add(_slots[BitOperations.TrailingZeroCount(m)].Sketch);
            var merged = new QuantileSketch();
            for (var k = 0; k < Blocks; k++)
            {
                var bits = Mask & (0x1FUL << (k * BlockMinutes));
                if (bits == 0) continue;
                merged.Clear();
                for (var m = bits; m != 0; m &= m - 1) merged.MergeBytes(_slots[BitOperations.TrailingZeroCount(m)].Sketch);
                parts.Add(merged.ToBytes());
            }
            var header = SketchHeader + 4 * parts.Count;
            var bytes = new byte[header + parts.Sum(p => p.Length)];
            bytes[0] = Format;
            var end = 0;
            for (var i = 0; i < parts.Count; i++)
            {
                parts[i].CopyTo(bytes.AsSpan(header + end));
                end += parts[i].Length;
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(SketchHeader + 4 * i), end);
            }
            return bytes;
        }

        /// <summary>The hour's totals in slot order (the same order of additions as merging minute rows).</summary>
        public BucketAccumulator Total()
        {
            var total = new BucketAccumulator(withSketch: true);
            for (var m = Mask; m != 0; m &= m - 1)
            {
                var r = _slots[BitOperations.TrailingZeroCount(m)];
                total.AddRollup(r.Count, r.Sum, r.Min, r.Max, r.Sketch);
            }
            return total;
        }
    }

    // ---- Decoding (read path) --------------------------------------------------------------

    /// <summary>The Stats column as spans over the row's bytes (no copy).</summary>
    public readonly ref struct StatsView
    {
        public readonly ReadOnlySpan<double> Sum;
        public readonly ReadOnlySpan<double> Min;
        public readonly ReadOnlySpan<double> Max;
        public readonly ReadOnlySpan<int> Count;

        public StatsView(ulong mask, ReadOnlySpan<byte> stats)
        {
            var n = BitOperations.PopCount(mask);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Packed rollups are read on little-endian machines only.");
            if (stats.Length != StatsHeader + 28 * n || stats[0] != Format) throw new FormatException("Malformed packed minute rollup.");
            var doubles = MemoryMarshal.Cast<byte, double>(stats.Slice(StatsHeader, 24 * n));
            Sum = doubles[..n];
            Min = doubles.Slice(n, n);
            Max = doubles.Slice(2 * n, n);
            Count = MemoryMarshal.Cast<byte, int>(stats.Slice(StatsHeader + 24 * n, 4 * n));
        }
    }

    /// <summary>The Sketches column: minute sketch j (j-th present minute) or block sketch r (r-th non-empty block).</summary>
    public readonly ref struct SketchView
    {
        private readonly ReadOnlySpan<int> _ends;
        private readonly ReadOnlySpan<byte> _data;
        private readonly int _minutes;

        public SketchView(ulong mask, ReadOnlySpan<byte> sketches)
        {
            _minutes = BitOperations.PopCount(mask);
            var parts = _minutes + BitOperations.PopCount((uint)BlockMask(mask));
            if (sketches.Length < SketchHeader + 4 * parts || sketches[0] != Format) throw new FormatException("Malformed packed minute sketches.");
            _ends = MemoryMarshal.Cast<byte, int>(sketches.Slice(SketchHeader, 4 * parts));
            _data = sketches[(SketchHeader + 4 * parts)..];
        }

        public ReadOnlySpan<byte> Minute(int j) => Part(j);
        public ReadOnlySpan<byte> Block(int r) => Part(_minutes + r);

        private ReadOnlySpan<byte> Part(int i)
        {
            var start = i == 0 ? 0 : _ends[i - 1];
            return _data[start.._ends[i]];
        }
    }

    // ---- Row access ------------------------------------------------------------------------

    public static async Task<PackedHour?> ReadHourAsync(SqliteConnection connection, SqliteTransaction? tx, long seriesId, long hour, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT Mask, Stats, Sketches FROM {MinuteTable} WHERE SeriesId = $s AND Ts = $t";
        cmd.Parameters.AddWithValue("$s", seriesId);
        cmd.Parameters.AddWithValue("$t", hour);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return PackedHour.Decode((ulong)reader.GetInt64(0), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2));
    }

    /// <summary>Writes the hour's row, or deletes it when no minute is left.</summary>
    public static async Task WriteHourAsync(SqliteConnection connection, SqliteTransaction tx, long seriesId, long hour, PackedHour packed, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$s", seriesId);
        cmd.Parameters.AddWithValue("$t", hour);
        if (packed.Mask == 0)
        {
            cmd.CommandText = $"DELETE FROM {MinuteTable} WHERE SeriesId = $s AND Ts = $t";
        }
        else
        {
            cmd.CommandText = $"INSERT OR REPLACE INTO {MinuteTable} (SeriesId, Ts, Mask, Stats, Sketches) VALUES ($s, $t, $m, $st, $sk)";
            cmd.Parameters.AddWithValue("$m", (long)packed.Mask);
            cmd.Parameters.AddWithValue("$st", packed.EncodeStats());
            cmd.Parameters.AddWithValue("$sk", packed.EncodeSketches());
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Upserts minute rollups (any order, any series) into their packed hours: each touched row is
    /// read, its slots replaced, and written back, inside the caller's transaction.
    /// </summary>
    public static async Task<int> UpsertMinutesAsync(SqliteConnection connection, SqliteTransaction tx, IEnumerable<(long SeriesId, long MinuteTs, MinuteRollup Rollup)> minutes, CancellationToken ct)
    {
        var written = 0;
        foreach (var group in minutes.GroupBy(m => (m.SeriesId, Hour: HourOf(m.MinuteTs))).OrderBy(g => g.Key))
        {
            var packed = await ReadHourAsync(connection, tx, group.Key.SeriesId, group.Key.Hour, ct) ?? new PackedHour();
            foreach (var (_, ts, rollup) in group)
            {
                packed.Set((int)((ts - group.Key.Hour) / MinuteMs), rollup);
                written++;
            }
            await WriteHourAsync(connection, tx, group.Key.SeriesId, group.Key.Hour, packed, ct);
        }
        return written;
    }

    /// <summary>
    /// Removes the minute rollups older than <paramref name="cutoffMs"/> of each series: whole hours in
    /// batches of <paramref name="batchSize"/> rows, then the hour that straddles the cutoff is rewritten
    /// without its older minutes. Returns the number of minute rollups removed.
    /// </summary>
    public static async Task<long> DeleteMinutesOlderThanAsync(SqliteConnection connection, IReadOnlyList<long> seriesIds, long cutoffMs, int batchSize, CancellationToken ct)
    {
        long removed = 0;
        var cutoffHour = HourOf(cutoffMs);
        foreach (var id in seriesIds)
        {
            while (true)
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                long lastTs = long.MinValue;
                var rows = 0;
                await using (var select = connection.CreateCommand())
                {
                    select.Transaction = tx;
                    select.CommandText = $"SELECT Ts, Mask FROM {MinuteTable} WHERE SeriesId = $s AND Ts < $cut ORDER BY Ts LIMIT {batchSize}";
                    select.Parameters.AddWithValue("$s", id);
                    select.Parameters.AddWithValue("$cut", cutoffHour);
                    await using var reader = await select.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        lastTs = reader.GetInt64(0);
                        removed += BitOperations.PopCount((ulong)reader.GetInt64(1));
                        rows++;
                    }
                }
                if (rows > 0)
                {
                    await using var delete = connection.CreateCommand();
                    delete.Transaction = tx;
                    delete.CommandText = $"DELETE FROM {MinuteTable} WHERE SeriesId = $s AND Ts <= $last";
                    delete.Parameters.AddWithValue("$s", id);
                    delete.Parameters.AddWithValue("$last", lastTs);
                    await delete.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                if (rows < batchSize) break;
            }
            if (cutoffMs == cutoffHour) continue;
            await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct))
            {
                var packed = await ReadHourAsync(connection, tx, id, cutoffHour, ct);
                var old = packed is null ? 0 : packed.Mask & SlotRange(0, (int)((cutoffMs - cutoffHour + MinuteMs - 1) / MinuteMs));
                if (packed is not null && old != 0)
                {
                    for (var m = old; m != 0; m &= m - 1) packed.Remove(BitOperations.TrailingZeroCount(m));
                    await WriteHourAsync(connection, tx, id, cutoffHour, packed, ct);
                    removed += BitOperations.PopCount(old);
                }
                await tx.CommitAsync(ct);
            }
        }
        return removed;
    }

    /// <summary>Samples counted by the minute rollups that start at or after <paramref name="sinceMs"/>.</summary>
    public static async Task<long> SampleCountSinceAsync(SqliteConnection connection, long sinceMs, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT Ts, Mask, Stats FROM {MinuteTable} WHERE Ts >= $h";
        cmd.Parameters.AddWithValue("$h", HourOf(sinceMs));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        long total = 0;
        while (await reader.ReadAsync(ct))
        {
            var hour = reader.GetInt64(0);
            var mask = (ulong)reader.GetInt64(1);
            var view = new StatsView(mask, (byte[])reader.GetValue(2));
            var j = 0;
            for (var m = mask; m != 0; m &= m - 1, j++)
                if (hour + BitOperations.TrailingZeroCount(m) * MinuteMs >= sinceMs) total += view.Count[j];
        }
        return total;
    }

    /// <summary>
    /// Moves rows of the pre-packing table (one row per series and minute, left by the migration as
    /// <see cref="LegacyMinuteTable"/>) into packed hours, one series per transaction (so an interrupted
    /// start resumes where it stopped), then drops the old table. Runs at start, before the jobs.
    /// </summary>
    public static async Task<long> ConvertLegacyMinuteRollupsAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $n";
            exists.Parameters.AddWithValue("$n", LegacyMinuteTable);
            if ((long)(await exists.ExecuteScalarAsync(ct))! == 0) return 0;
        }
        long converted = 0;
        while (true)
        {
            long seriesId;
            await using (var next = connection.CreateCommand())
            {
                next.CommandText = $"SELECT SeriesId FROM {LegacyMinuteTable} ORDER BY SeriesId LIMIT 1";
                if (await next.ExecuteScalarAsync(ct) is not long id) break;
                seriesId = id;
            }
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var minutes = new List<(long, long, MinuteRollup)>();
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = $"SELECT Ts, Count, Sum, Min, Max, Sketch FROM {LegacyMinuteTable} WHERE SeriesId = $s ORDER BY Ts";
                read.Parameters.AddWithValue("$s", seriesId);
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var ts = reader.GetInt64(0);
                    if (ts % MinuteMs != 0) ts -= ((ts % MinuteMs) + MinuteMs) % MinuteMs;
                    minutes.Add((seriesId, ts, new MinuteRollup(reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), (byte[])reader.GetValue(5))));
                }
            }
            converted += await UpsertMinutesAsync(connection, tx, minutes.Where(m => m.Item3.Count > 0), ct);
            await using (var delete = connection.CreateCommand())
            {
                delete.Transaction = tx;
                delete.CommandText = $"DELETE FROM {LegacyMinuteTable} WHERE SeriesId = $s";
                delete.Parameters.AddWithValue("$s", seriesId);
                await delete.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        await using (var drop = connection.CreateCommand())
        {
            drop.CommandText = $"DROP TABLE {LegacyMinuteTable}";
            await drop.ExecuteNonQueryAsync(ct);
        }
        return converted;
    }

    // ---- Fast reads for queries ------------------------------------------------------------

    /// <summary>
    /// A prepared statement run straight through SQLitePCL on the connection's handle, so blob columns
    /// are read as spans over SQLite's own buffer (no copy, no allocation per row).
    /// </summary>
    public sealed class RawStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _stmt;

        public RawStatement(SqliteConnection connection, string sql)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
            Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
        }

        public void Bind(int index, long value)
        {
            Check(raw.sqlite3_bind_int64(_stmt, index, value));
        }

        public void Reset() => raw.sqlite3_reset(_stmt);

        public bool Step()
        {
            var rc = raw.sqlite3_step(_stmt);
            if (rc == raw.SQLITE_ROW) return true;
            if (rc == raw.SQLITE_DONE) return false;
            Check(rc);
            return false;
        }

        public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);
        public double Double(int column) => raw.sqlite3_column_double(_stmt, column);
        public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_stmt, column);

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        }

        public void Dispose() => _stmt.Dispose();
    }
}

/// <summary>
/// Folds rollups and raw samples of one series into fixed-step buckets without an object per bucket:
/// count/sum/min/max in arrays; for percentiles one reusable sketch for the bucket being filled
/// (inputs arrive in time order, so a bucket is complete when the next one starts).
/// </summary>
public sealed class BucketFold
{
    private long _first, _step;
    private int _buckets;
    private double _q;
    private bool _percentile;
    private long[] _count = [];
    private double[] _sum = [], _min = [], _max = [], _quantile = [];
    private readonly QuantileSketch _sketch = new();
    private int _sketchBucket = -1;

    public void Reset(long first, long step, int buckets, Aggregation agg)
    {
        (_first, _step, _buckets, _percentile) = (first, step, buckets, agg.IsPercentile());
        _q = _percentile ? agg.Quantile() : 0;
        if (_count.Length < buckets)
        {
            _count = new long[buckets];
            _sum = new double[buckets];
            _min = new double[buckets];
            _max = new double[buckets];
            _quantile = new double[buckets];
        }
        Array.Clear(_count, 0, buckets);
        Array.Clear(_sum, 0, buckets);
        Array.Fill(_min, double.PositiveInfinity, 0, buckets);
        Array.Fill(_max, double.NegativeInfinity, 0, buckets);
        Array.Fill(_quantile, double.NaN, 0, buckets);
        _sketch.Clear();
        _sketchBucket = -1;
    }

    public int BucketOf(long ts) => (int)((ts - _first) / _step);

    /// <summary>A raw sample.</summary>
    public void Add(long ts, double value)
    {
        var i = BucketOf(ts);
        if ((uint)i >= (uint)_buckets) return;
        _count[i]++;
        _sum[i] += value;
        if (value < _min[i]) _min[i] = value;
        if (value > _max[i]) _max[i] = value;
        if (_percentile)
        {
            MoveTo(i);
            _sketch.Add(value);
        }
    }

    /// <summary>A rollup's figures (hour row or minute slot) into bucket <paramref name="i"/>.</summary>
    public void AddRollup(int i, long count, double sum, double min, double max)
    {
        if ((uint)i >= (uint)_buckets || count <= 0) return;
        _count[i] += count;
        _sum[i] += sum;
        if (min < _min[i]) _min[i] = min;
        if (max > _max[i]) _max[i] = max;
    }

    public void MergeSketch(int i, ReadOnlySpan<byte> sketch)
    {
        if ((uint)i >= (uint)_buckets || sketch.IsEmpty) return;
        MoveTo(i);
        _sketch.MergeBytes(sketch);
    }

    private void MoveTo(int i)
    {
        if (i == _sketchBucket) return;
        if (i < _sketchBucket) throw new InvalidOperationException("Bucket inputs must arrive in time order.");
        Complete();
        _sketchBucket = i;
    }

    private void Complete()
    {
        if (_sketchBucket >= 0 && _sketch.Count > 0) _quantile[_sketchBucket] = _sketch.Quantile(_q);
        _sketch.Clear();
    }

    /// <summary>One packed hour of minute rollups, limited to the minutes in [fromMs, toMs).</summary>
    public void AddPackedHour(long hour, ulong mask, ReadOnlySpan<byte> stats, ReadOnlySpan<byte> sketches, long fromMs, long toMs)
    {
        var lo = fromMs <= hour ? 0 : (int)Math.Min(RollupStore.Slots, (fromMs - hour + RollupStore.MinuteMs - 1) / RollupStore.MinuteMs);
        var hi = toMs >= hour + RollupStore.HourMs ? RollupStore.Slots : (int)Math.Max(0, (toMs - hour + RollupStore.MinuteMs - 1) / RollupStore.MinuteMs);
        var inRange = mask & RollupStore.SlotRange(lo, hi);
        if (inRange == 0) return;
        var view = new RollupStore.StatsView(mask, stats);
        for (var m = inRange; m != 0; m &= m - 1)
        {
            var slot = BitOperations.TrailingZeroCount(m);
            var j = BitOperations.PopCount(mask & ((1UL << slot) - 1));
            AddRollup(BucketOf(hour + slot * RollupStore.MinuteMs), view.Count[j], view.Sum[j], view.Min[j], view.Max[j]);
        }
        if (!_percentile) return;

        var sk = new RollupStore.SketchView(mask, sketches);
        var blocks = RollupStore.BlockMask(mask);
        for (var m = inRange; m != 0;)
        {
            var slot = BitOperations.TrailingZeroCount(m);
            var bucket = BucketOf(hour + slot * RollupStore.MinuteMs);
            if (slot % RollupStore.BlockMinutes == 0 && slot + RollupStore.BlockMinutes <= hi
                && bucket == BucketOf(hour + (slot + RollupStore.BlockMinutes - 1) * RollupStore.MinuteMs))
            {
                // The whole block lies in this bucket and in range: one merged sketch for its minutes.
                var k = slot / RollupStore.BlockMinutes;
                MergeSketch(bucket, sk.Block(BitOperations.PopCount((uint)(blocks & ((1 << k) - 1)))));
                m &= ~(0x1FUL << slot);
                continue;
            }
            MergeSketch(bucket, sk.Minute(BitOperations.PopCount(mask & ((1UL << slot) - 1))));
            m &= m - 1;
        }
    }

    public List<BucketPoint> Points(Aggregation agg)
    {
        if (_percentile) Complete();
        _sketchBucket = -1;
        var points = new List<BucketPoint>();
        for (var i = 0; i < _buckets; i++)
        {
            if (_count[i] <= 0) continue;
            var value = agg switch
            {
                Aggregation.Avg => _sum[i] / _count[i],
                Aggregation.Min => _min[i],
                Aggregation.Max => _max[i],
                Aggregation.Sum => _sum[i],
                Aggregation.Count => _count[i],
                _ => _quantile[i],
            };
            points.Add(new BucketPoint(DateTimeOffset.FromUnixTimeMilliseconds(_first + i * _step), value));
        }
        return points;
    }
}
