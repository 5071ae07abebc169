using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// Minute rollups from raw samples, then hour rollups merged from minute rollups (count, sum,
/// min, max and a <see cref="QuantileSketch"/>). Minute rollups are packed per (series, hour) by
/// <see cref="RollupStore"/>: a run that ends mid-hour leaves a partly filled row that the next run
/// completes (read, slots set, written back). Each level keeps a watermark (the end of the
/// last complete unit) in <c>metric_rollup_state</c>; a run rolls up an hour of minutes or one
/// hour at a time, upserting rows, so it is idempotent and catches up in bounded steps. Minutes
/// wait <c>RollupDelaySeconds</c> after they end for late samples; later arrivals are not rolled up.
/// </summary>
public sealed partial class MetricRollupJob(IOptions<MonitoringOptions> options, MetricSeriesCatalog catalog, TimeProvider time, ILogger<MetricRollupJob> logger, SampleStore store)
{
    public const string RecurringId = "metrics:rollups";
    public const string MinuteLevel = "1m";
    public const string HourLevel = "1h";
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;
    private const int MaxChunksPerRun = 48;   // bounded: at most 48 h of minutes and 48 hours per run
    private const int RowsPerTransaction = 5_000;

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<(int MinuteRows, int HourRows)> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(o));
        await connection.OpenAsync(cancellationToken);
        await SqliteSetup.ApplyPragmasAsync(connection, cancellationToken);
        var (minuteDone, hourDone) = await MetricQueries.RollupWatermarksAsync(connection, cancellationToken);

        var initial = Floor(now - o.Retention.RawSamplesHours * HourMs, HourMs);
        if (minuteDone == 0) minuteDone = initial;
        if (hourDone == 0) hourDone = initial;
        var minuteEnd = Floor(now - o.Metrics.RollupDelaySeconds * 1000L, MinuteMs);

        var minuteRows = 0;
        for (var i = 0; i < MaxChunksPerRun && minuteDone < minuteEnd; i++)
        {
            var chunkEnd = Math.Min(minuteDone + HourMs, minuteEnd);
            minuteRows += await RollUpMinutesAsync(connection, minuteDone, chunkEnd, cancellationToken);
            minuteDone = chunkEnd;
        }

        var hourRows = 0;
        var hourEnd = Floor(minuteDone, HourMs);
        for (var i = 0; i < MaxChunksPerRun && hourDone < hourEnd; i++)
        {
            hourRows += await RollUpHourAsync(connection, hourDone, cancellationToken);
            hourDone += HourMs;
        }
        if (minuteRows + hourRows > 0) LogRolledUp(minuteRows, hourRows);
        return (minuteRows, hourRows);
    }

    private async Task<int> RollUpMinutesAsync(SqliteConnection connection, long start, long end, CancellationToken ct)
    {
        var rows = new List<(long SeriesId, long MinuteTs, MinuteRollup Rollup)>();
        var total = 0;
        foreach (var id in SeriesIds())
        {
            long minute = -1;
            BucketAccumulator? acc = null;
            foreach (var sample in await store.ReadAsync(connection, id, start, end - 1, ct))
            {
                var m = Floor(sample.Ts, MinuteMs);
                if (m != minute)
                {
                    if (acc is not null) rows.Add((id, minute, MinuteRollup.From(acc)));
                    minute = m;
                    acc = new BucketAccumulator(withSketch: true);
                }
                acc!.Add(sample.Value);
            }
            if (acc is not null) rows.Add((id, minute, MinuteRollup.From(acc)));
            if (rows.Count >= RowsPerTransaction) total += await WriteMinutesAsync(connection, rows, end, final: false, ct);
        }
        return total + await WriteMinutesAsync(connection, rows, end, final: true, ct);
    }

    /// <summary>Hour rollups are the totals of the hour's packed minute row (sketch = merge of its minute sketches).</summary>
    private async Task<int> RollUpHourAsync(SqliteConnection connection, long hour, CancellationToken ct)
    {
        var rows = new List<RollupRow>();
        var total = 0;
        foreach (var id in SeriesIds())
        {
            var packed = await RollupStore.ReadHourAsync(connection, null, id, hour, ct);
            if (packed is { Mask: not 0 }) rows.Add(RollupRow.From(id, hour, packed.Total()));
            if (rows.Count >= RowsPerTransaction) total += await WriteAsync(connection, "metric_rollups_1h", rows, null, 0, ct);
        }
        return total + await WriteAsync(connection, "metric_rollups_1h", rows, HourLevel, hour + HourMs, ct);
    }

    /// <summary>Packs the minutes into their hour rows (and moves the minute watermark on the last write) in one transaction.</summary>
    private static async Task<int> WriteMinutesAsync(SqliteConnection connection, List<(long SeriesId, long MinuteTs, MinuteRollup Rollup)> rows, long doneUntil, bool final, CancellationToken ct)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var n = await RollupStore.UpsertMinutesAsync(connection, tx, rows, ct);
        if (final) await SetWatermarkAsync(connection, tx, MinuteLevel, doneUntil, ct);
        await tx.CommitAsync(ct);
        rows.Clear();
        return n;
    }

    private IEnumerable<long> SeriesIds() => catalog.All.Select(s => s.Id).Order().ToList();

    /// <summary>Upserts the rows (and moves the watermark when given) in one short transaction.</summary>
    private static async Task<int> WriteAsync(SqliteConnection connection, string table, List<RollupRow> rows, string? level, long doneUntil, CancellationToken ct)
    {
        var n = rows.Count;
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT OR REPLACE INTO {table} (SeriesId, Ts, Count, Sum, Min, Max, Sketch) VALUES ($s, $t, $c, $sum, $min, $max, $sk)";
            var p = new[] { "$s", "$t", "$c", "$sum", "$min", "$max", "$sk" }.Select(name => cmd.Parameters.Add(new SqliteParameter(name, null))).ToArray();
            foreach (var r in rows)
            {
                p[0].Value = r.SeriesId; p[1].Value = r.Ts; p[2].Value = r.Count; p[3].Value = r.Sum;
                p[4].Value = r.Min; p[5].Value = r.Max; p[6].Value = r.Sketch;
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        if (level is not null) await SetWatermarkAsync(connection, tx, level, doneUntil, ct);
        await tx.CommitAsync(ct);
        rows.Clear();
        return n;
    }

    private static async Task SetWatermarkAsync(SqliteConnection connection, SqliteTransaction tx, string level, long doneUntil, CancellationToken ct)
    {
        await using var state = connection.CreateCommand();
        state.Transaction = tx;
        state.CommandText = "INSERT INTO metric_rollup_state (Level, DoneUntilMs) VALUES ($l, $d) ON CONFLICT (Level) DO UPDATE SET DoneUntilMs = excluded.DoneUntilMs";
        state.Parameters.AddWithValue("$l", level);
        state.Parameters.AddWithValue("$d", doneUntil);
        await state.ExecuteNonQueryAsync(ct);
    }

    private static long Floor(long value, long unit) => value - (((value % unit) + unit) % unit);

    private readonly record struct RollupRow(long SeriesId, long Ts, long Count, double Sum, double Min, double Max, byte[] Sketch)
    {
        public static RollupRow From(long seriesId, long ts, BucketAccumulator a) =>
            new(seriesId, ts, a.Count, a.Sum, a.Min, a.Max, a.Sketch!.ToBytes());
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rolled up {MinuteRows} minute rows and {HourRows} hour rows")]
    private partial void LogRolledUp(int minuteRows, int hourRows);
}
