using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// Raw sample storage: an ingest log (one row per group commit, the durable record), an in-memory
/// head (samples of log rows not yet in chunks) and compressed per-series chunks in
/// <c>metric_chunks</c>. Every reader goes through <see cref="ReadAsync"/>, which merges chunks,
/// the frozen head and the active head; for one (series, timestamp) the newest source wins.
/// The sample writer appends to the head after each commit and runs compaction (freeze, encode off
/// its commit path, then one short transaction that inserts chunks and deletes the log rows).
/// </summary>
public sealed partial class SampleStore
{
    /// <summary>No chunk spans more than this (ms), so a range read looks back at most this far for chunk starts.</summary>
    public const long MaxChunkSpanMs = 3_600_000;
    /// <summary>A chunk is closed at about this size, so its row fits in a page (no overflow chain).</summary>
    public const int MaxChunkBytes = 3_000;
    /// <summary>Stored samples: in chunks plus in log rows not yet compacted (duplicates of a (series, ts) count twice).</summary>
    public const string StoredCountSql =
        "SELECT (SELECT COALESCE(SUM(Count), 0) FROM metric_chunks) + (SELECT COALESCE(SUM(Count), 0) FROM metric_ingest_log)";
    private const int ChunksPerRetentionBatch = 200;
    /// <summary>Chunk rows per compaction transaction: the writer commits ingest batches between slices.</summary>
    internal const int ChunksPerCompactionTransaction = 250;
    private const int LegacyRowsPerBatch = 50_000;
    private static readonly double[] s_compactionBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SampleStore> _logger;
    private readonly object _gate = new();
    private SampleHead _active;
    private SampleHead? _frozen;
    private long _headSamples;
    private long _logRows;
    private long _compactions;
    private long _chunksWritten;
    private long _chunkSamplesWritten;
    private double _commitSeconds;   // of the compaction being committed (writer only)
    private readonly AppMetrics.Histogram _compactionSeconds = new(s_compactionBuckets);

    /// <summary>A chunk row: one series, samples sorted by time with distinct timestamps.</summary>
    internal readonly record struct ChunkRow(long SeriesId, long StartTs, long EndTs, int Count, byte[] Data);

    public SampleStore(IOptions<MonitoringOptions> options, AppMetrics metrics, TimeProvider time, ILogger<SampleStore> logger)
    {
        _options = options.Value.Metrics;
        _time = time;
        _logger = logger;
        _active = new SampleHead(NowMs());
        metrics.Gauge("monitoring_metric_head_samples", "Raw samples held in memory (active and frozen head) until compaction writes them as chunks.", () => HeadSamples);
        metrics.Gauge("monitoring_metric_ingest_log_rows", "Ingest log rows (one per group commit) not yet compacted into chunks.", () => Interlocked.Read(ref _logRows));
        metrics.Section(sb =>
        {
            Counter(sb, "monitoring_metric_compactions_total", "Head compactions committed (chunks written, log rows deleted).", Interlocked.Read(ref _compactions));
            Counter(sb, "monitoring_metric_chunks_written_total", "Chunk rows written by compaction and by the upgrade from the old samples table.", Interlocked.Read(ref _chunksWritten));
            Counter(sb, "monitoring_metric_chunk_samples_written_total", "Samples written into chunk rows.", Interlocked.Read(ref _chunkSamplesWritten));
            _compactionSeconds.Render(sb, "monitoring_metric_compaction_seconds", "Time of one compaction: encoding the frozen head plus its transaction.");
        });
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Samples in the active and frozen head (what <c>Monitoring:Metrics:HeadCapacity</c> bounds).</summary>
    public long HeadSamples => Interlocked.Read(ref _headSamples);
    public long LogRows => Interlocked.Read(ref _logRows);
    public long Compactions => Interlocked.Read(ref _compactions);

    // ---- writer side -------------------------------------------------------------------------

    /// <summary>Adds the samples of a committed log row to the active head (the writer, after its commit).</summary>
    internal void Append(long logId, ReadOnlySpan<(long SeriesId, long Ts, double Value)> rows)
    {
        var now = NowMs();
        lock (_gate) _active.Add(logId, rows, now);
        Interlocked.Add(ref _headSamples, rows.Length);
        Interlocked.Increment(ref _logRows);
    }

    /// <summary>True when the active head is over its sample threshold or its oldest sample is older than the age threshold.</summary>
    internal bool CompactionDue()
    {
        var head = Volatile.Read(ref _active);
        var count = head.Count;
        if (count == 0) return false;
        return count >= _options.CompactAfterSamples || NowMs() - head.StartedAtMs >= _options.CompactAfterSeconds * 1000L;
    }

    /// <summary>Swaps in an empty head; the returned one stays readable until its compaction commits. Null when nothing to do or one is frozen already.</summary>
    internal SampleHead? Freeze()
    {
        lock (_gate)
        {
            if (_frozen is not null || _active.Count == 0) return null;
            _frozen = _active;
            Volatile.Write(ref _active, new SampleHead(NowMs()));
            return _frozen;
        }
    }

    /// <summary>Encodes a frozen head as chunks (CPU only; run off the writer's commit path).</summary>
    internal static List<ChunkRow> BuildChunks(SampleHead head)
    {
        var chunks = new List<ChunkRow>(head.Series.Count);
        var buffer = new List<StoredSample>();
        var w = new ByteWriter(MaxChunkBytes + 64);
        foreach (var (seriesId, s) in head.Series)
        {
            buffer.Clear();
            for (var i = 0; i < s.Count; i++) buffer.Add(new StoredSample(s.Ts[i], s.Values[i]));
            AddChunks(seriesId, SortNewestWins(buffer, long.MinValue, long.MaxValue), chunks, w);
        }
        return chunks;
    }

    /// <summary>Cuts sorted, distinct samples of one series into chunks bounded by span and size.</summary>
    private static void AddChunks(long seriesId, List<StoredSample> sorted, List<ChunkRow> into, ByteWriter w)
    {
        var i = 0;
        while (i < sorted.Count)
        {
            w.Clear();
            var encoder = new ChunkEncoder(w);
            var start = sorted[i].Ts;
            var end = start;
            while (i < sorted.Count && encoder.Size < MaxChunkBytes && sorted[i].Ts - start < MaxChunkSpanMs)
            {
                encoder.Add(sorted[i].Ts, sorted[i].Value);
                end = sorted[i].Ts;
                i++;
            }
            into.Add(new ChunkRow(seriesId, start, end, encoder.Count, w.ToArray()));
        }
    }

    /// <summary>
    /// Inserts chunks [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="frozen"/> in one
    /// transaction on the writer's connection; the last slice also deletes its log rows, and once it
    /// has committed the frozen head is dropped (readers find its samples in the chunks from then on).
    /// Slices let ingest commits run in between. A crash between slices leaves the log rows, so the
    /// next start replays them and compacts again: the chunks written twice hold the same samples
    /// (reads deduplicate; the stored-sample count counts them twice until retention removes them).
    /// </summary>
    internal async Task CommitCompactionAsync(SqliteConnection connection, SampleHead frozen, List<ChunkRow> chunks, int from, int to,
        double encodeSeconds, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var last = to >= chunks.Count;
        await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct))
        {
            await InsertChunksAsync(connection, tx, chunks, from, Math.Min(to, chunks.Count), frozen.LastLogId, ct);
            if (last)
            {
                await using var delete = connection.CreateCommand();
                delete.Transaction = tx;
                delete.CommandText = "DELETE FROM metric_ingest_log WHERE Id <= $last";
                delete.Parameters.AddWithValue("$last", frozen.LastLogId);
                await delete.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        _commitSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!last) return;
        lock (_gate)
        {
            if (ReferenceEquals(_frozen, frozen)) _frozen = null;
        }
        Interlocked.Add(ref _headSamples, -frozen.Count);
        Interlocked.Add(ref _logRows, -frozen.LogRows);
        Interlocked.Increment(ref _compactions);
        _compactionSeconds.Observe(encodeSeconds + _commitSeconds);
        _commitSeconds = 0;
        LogCompacted(frozen.Count, chunks.Count, frozen.LastLogId);
    }

    /// <summary>All slices in a row (tests, benches, the upgrade).</summary>
    internal async Task CommitCompactionAsync(SqliteConnection connection, SampleHead frozen, List<ChunkRow> chunks, double encodeSeconds, CancellationToken ct)
    {
        for (var from = 0; ; from += ChunksPerCompactionTransaction)
        {
            await CommitCompactionAsync(connection, frozen, chunks, from, from + ChunksPerCompactionTransaction, encodeSeconds, ct);
            if (from + ChunksPerCompactionTransaction >= chunks.Count) break;
        }
    }

    private async Task InsertChunksAsync(SqliteConnection connection, SqliteTransaction tx, List<ChunkRow> chunks, int from, int to, long seq, CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO metric_chunks (SeriesId, StartTs, EndTs, Seq, Count, Data) VALUES ($s, $start, $end, $seq, $count, $data)";
        var p = new[] { "$s", "$start", "$end", "$seq", "$count", "$data" }.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        p[3].Value = seq;
        insert.Prepare();
        long samples = 0;
        for (var i = from; i < to; i++)
        {
            var c = chunks[i];
            p[0].Value = c.SeriesId; p[1].Value = c.StartTs; p[2].Value = c.EndTs; p[4].Value = c.Count; p[5].Value = c.Data;
            await insert.ExecuteNonQueryAsync(ct);
            samples += c.Count;
        }
        Interlocked.Add(ref _chunksWritten, to - from);
        Interlocked.Add(ref _chunkSamplesWritten, samples);
    }

    // ---- start -------------------------------------------------------------------------------

    /// <summary>
    /// At start, before ingest: moves rows of the pre-chunk samples table (renamed by the migration)
    /// into chunks in bounded transactions and drops it, then replays the ingest log into the head.
    /// </summary>
    public async Task LoadAsync(SqliteConnection connection, CancellationToken ct)
    {
        await MoveLegacySamplesAsync(connection, ct);
        var rows = new List<(long SeriesId, long Ts, double Value)>();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT Id, Payload FROM metric_ingest_log ORDER BY Id";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        long replayed = 0;
        while (await reader.ReadAsync(ct))
        {
            rows.Clear();
            SampleCodec.DecodeLog(reader.GetFieldValue<byte[]>(1), rows);
            Append(reader.GetInt64(0), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
            replayed += rows.Count;
        }
        if (replayed > 0) LogReplayed(replayed, LogRows);
    }

    private async Task MoveLegacySamplesAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'metric_samples_legacy'";
            if ((long)(await exists.ExecuteScalarAsync(ct))! == 0) return;
        }
        long moved = 0;
        var w = new ByteWriter(MaxChunkBytes + 64);
        while (true)
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var rows = new List<(long SeriesId, long Ts, double Value)>();
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = $"SELECT SeriesId, Ts, Value FROM metric_samples_legacy ORDER BY SeriesId, Ts LIMIT {LegacyRowsPerBatch}";
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2)));
            }
            if (rows.Count == 0)
            {
                await using (var drop = connection.CreateCommand())
                {
                    drop.Transaction = tx;
                    drop.CommandText = "DROP TABLE metric_samples_legacy";
                    await drop.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                break;
            }
            var chunks = new List<ChunkRow>();
            var series = new List<StoredSample>();
            for (var i = 0; i < rows.Count;)
            {
                var id = rows[i].SeriesId;
                series.Clear();
                for (; i < rows.Count && rows[i].SeriesId == id; i++) series.Add(new StoredSample(rows[i].Ts, rows[i].Value));
                AddChunks(id, series, chunks, w);
            }
            // Seq 0: older than anything compaction writes (its Seq is a log id, from 1).
            await InsertChunksAsync(connection, tx, chunks, 0, chunks.Count, 0, ct);
            await using (var delete = connection.CreateCommand())
            {
                delete.Transaction = tx;
                delete.CommandText = "DELETE FROM metric_samples_legacy WHERE SeriesId < $s OR (SeriesId = $s AND Ts <= $t)";
                delete.Parameters.AddWithValue("$s", rows[^1].SeriesId);
                delete.Parameters.AddWithValue("$t", rows[^1].Ts);
                await delete.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            moved += rows.Count;
        }
        LogLegacyMoved(moved);
    }

    // ---- reads -------------------------------------------------------------------------------

    /// <summary>
    /// The series' samples with <paramref name="fromMs"/> ≤ ts ≤ <paramref name="toMs"/>, sorted by time, one per
    /// timestamp (the newest write wins). Reads the head first, then the chunks: a compaction that
    /// commits in between makes a sample appear twice, never not at all.
    /// </summary>
    public async Task<List<StoredSample>> ReadAsync(SqliteConnection connection, long seriesId, long fromMs, long toMs, CancellationToken ct)
    {
        var head = new List<StoredSample>();
        lock (_gate)
        {
            _frozen?.CopyTo(seriesId, fromMs, toMs, head);
            _active.CopyTo(seriesId, fromMs, toMs, head);
        }
        var result = new List<StoredSample>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT Data FROM metric_chunks WHERE SeriesId = $s AND StartTs >= $lo AND StartTs <= $to AND EndTs >= $from ORDER BY Seq, StartTs";
            cmd.Parameters.AddWithValue("$s", seriesId);
            cmd.Parameters.AddWithValue("$lo", fromMs < long.MinValue + MaxChunkSpanMs ? long.MinValue : fromMs - MaxChunkSpanMs);
            cmd.Parameters.AddWithValue("$to", toMs);
            cmd.Parameters.AddWithValue("$from", fromMs);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) SampleCodec.DecodeChunk(reader.GetFieldValue<byte[]>(0), result);
        }
        result.AddRange(head);
        return SortNewestWins(result, fromMs, toMs);
    }

    /// <inheritdoc cref="ReadAsync(SqliteConnection, long, long, long, CancellationToken)"/>
    public async Task<List<StoredSample>> ReadAsync(string connectionString, long seriesId, long fromMs, long toMs, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        return await ReadAsync(connection, seriesId, fromMs, toMs, ct);
    }

    /// <summary>
    /// Samples in write order (oldest source first) → sorted by time, within [from, to], keeping the
    /// last written of equal timestamps. Returns the input list when it is already strictly increasing.
    /// </summary>
    internal static List<StoredSample> SortNewestWins(List<StoredSample> samples, long fromMs, long toMs)
    {
        var ordered = true;
        for (var i = 0; i < samples.Count && ordered; i++)
        {
            var ts = samples[i].Ts;
            if (ts < fromMs || ts > toMs || (i > 0 && ts <= samples[i - 1].Ts)) ordered = false;
        }
        if (ordered) return samples;
        var keyed = new (long Ts, int Index)[samples.Count];
        for (var i = 0; i < keyed.Length; i++) keyed[i] = (samples[i].Ts, i);
        Array.Sort(keyed);   // (ts, write position): the last of equal timestamps is the newest
        var result = new List<StoredSample>(keyed.Length);
        for (var i = 0; i < keyed.Length; i++)
        {
            var (ts, index) = keyed[i];
            if (ts < fromMs || ts > toMs) continue;
            if (i + 1 < keyed.Length && keyed[i + 1].Ts == ts) continue;
            result.Add(samples[index]);
        }
        return result;
    }

    // ---- retention ---------------------------------------------------------------------------

    /// <summary>
    /// Deletes every stored sample of the series older than <paramref name="cutoffMs"/>: whole chunks that
    /// end before it (a few hundred per transaction), then the chunks that straddle it are rewritten
    /// without their old part. Samples still in the head are not touched (they are compacted into
    /// chunks later, and the next run removes them). Returns the samples deleted.
    /// </summary>
    public async Task<long> DeleteOlderThanAsync(SqliteConnection connection, IReadOnlyList<long> seriesIds, long cutoffMs, CancellationToken ct)
    {
        long deleted = 0;
        foreach (var id in seriesIds)
        {
            while (true)
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                var old = new List<(long RowId, long Count)>();
                await using (var select = connection.CreateCommand())
                {
                    select.Transaction = tx;
                    select.CommandText = $"SELECT Id, Count FROM metric_chunks WHERE SeriesId = $s AND StartTs < $c AND EndTs < $c LIMIT {ChunksPerRetentionBatch}";
                    select.Parameters.AddWithValue("$s", id);
                    select.Parameters.AddWithValue("$c", cutoffMs);
                    await using var reader = await select.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) old.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
                await using (var delete = connection.CreateCommand())
                {
                    delete.Transaction = tx;
                    delete.CommandText = "DELETE FROM metric_chunks WHERE Id = $id";
                    var rowId = delete.Parameters.Add(new SqliteParameter("$id", null));
                    foreach (var (r, count) in old)
                    {
                        rowId.Value = r;
                        await delete.ExecuteNonQueryAsync(ct);
                        deleted += count;
                    }
                }
                await tx.CommitAsync(ct);
                if (old.Count < ChunksPerRetentionBatch) break;
            }
            deleted += await TrimStraddlingAsync(connection, id, cutoffMs, ct);
        }
        return deleted;
    }

    private static async Task<long> TrimStraddlingAsync(SqliteConnection connection, long seriesId, long cutoffMs, CancellationToken ct)
    {
        long deleted = 0;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var straddling = new List<(long RowId, byte[] Data)>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = "SELECT Id, Data FROM metric_chunks WHERE SeriesId = $s AND StartTs >= $lo AND StartTs < $c AND EndTs >= $c";
            select.Parameters.AddWithValue("$s", seriesId);
            select.Parameters.AddWithValue("$lo", cutoffMs - MaxChunkSpanMs);
            select.Parameters.AddWithValue("$c", cutoffMs);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) straddling.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        }
        if (straddling.Count == 0) return 0;
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE metric_chunks SET StartTs = $start, EndTs = $end, Count = $count, Data = $data WHERE Id = $id";
            var p = new[] { "$start", "$end", "$count", "$data", "$id" }.Select(n => update.Parameters.Add(new SqliteParameter(n, null))).ToArray();
            foreach (var (rowId, data) in straddling)
            {
                var all = SampleCodec.DecodeChunk(data);
                var kept = all.Where(s => s.Ts >= cutoffMs).ToArray();
                deleted += all.Count - kept.Length;
                (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value) = (kept[0].Ts, kept[^1].Ts, kept.Length, SampleCodec.EncodeChunk(kept), rowId);
                await update.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        return deleted;
    }

    private static void Counter(System.Text.StringBuilder sb, string name, string help, long value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n")
          .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compacted {Samples} head samples into {Chunks} chunks (log rows up to {LastLogId} deleted)")]
    private partial void LogCompacted(long samples, int chunks, long lastLogId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Samples} samples from {Rows} ingest log rows into the head")]
    private partial void LogReplayed(long samples, long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Rows} samples from the old samples table into chunks")]
    private partial void LogLegacyMoved(long rows);
}
