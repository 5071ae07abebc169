using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;

namespace Monitoring.Benchmarks;

/// <summary>
/// <c>GET /api/v1/metrics/query</c> over 30 days, in process (<see cref="MetricQueries.BucketedAsync"/>,
/// what the endpoint calls), on a real SQLite file made by the app's migrations and filled as the
/// rollup job leaves it: 30 days of minute and hour rollups (with percentile sketches) per series,
/// and the last two hours of raw samples every 10 s. One operation is one query of all
/// <see cref="Series"/> series of the metric: with step 1h it reads hour rollups (720 rows a
/// series), with step 5m and 4m packed minute rollups (one row per series and hour, so 720 rows a
/// series holding 43,200 minutes), plus the newest raw samples. Step 5m percentiles merge one
/// 5-minute block sketch a bucket; step 4m (the finest step 30 days allow under MaxPoints) is
/// the worst case, merging minute sketches. The target is under 100 ms.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MetricQueryBenchmarks
{
    private const long MinuteMs = 60_000, HourMs = 3_600_000, DayMs = 86_400_000;

    [Params(1, 20)]
    public int Series;

    private string _dir = "";
    private MetricQueries _queries = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("monitoring-query-bench-").FullName;
        var options = new MonitoringOptions { DataDirectory = _dir };
        var connectionString = SqliteSetup.ConnectionString(options);
        using (var db = new MonitoringDbContext(new DbContextOptionsBuilder<MonitoringDbContext>().UseSqlite(connectionString).Options))
            db.Database.Migrate();

        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var hourDone = _now - _now % HourMs;
        var minuteDone = _now - _now % MinuteMs - 2 * MinuteMs; // the rollup job trails by its delay
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }
            using var tx = connection.BeginTransaction();
            var sketch = new QuantileSketch();
            for (var v = 1; v <= 60; v++) sketch.Add(v * 1.5);
            var bytes = sketch.ToBytes();
            for (var s = 1; s <= Series; s++)
            {
                Exec(connection, tx, $"INSERT INTO metric_series (Id, Name, Service, LabelsJson, Type, CreatedAtMs) VALUES ({s}, 'cpu', 'host', '{{\"core\":\"{s}\"}}', 1, 0)");
                Fill(connection, tx, "metric_rollups_1h", s, hourDone - 30 * DayMs, hourDone, HourMs, bytes);
                FillMinutes(connection, tx, s, minuteDone - 30 * DayMs, minuteDone, bytes);
                // Raw samples as compaction stores them: chunks of at most an hour (SampleStore.MaxChunkSpanMs).
                using var raw = Command(connection, tx, "INSERT INTO metric_chunks (SeriesId, StartTs, EndTs, Seq, Count, Data) VALUES ($s, $t, $e, 1, $c, $d)");
                foreach (var part in Enumerable.Range(0, 721).Select(i => _now - 2 * HourMs + i * 10_000L).Chunk(360))
                {
                    var samples = part.Select(t => new StoredSample(t, t % 97 * 1.0)).ToArray();
                    (raw.Parameters[0].Value, raw.Parameters[1].Value, raw.Parameters[2].Value) = (s, part[0], part[^1]);
                    (raw.Parameters[3].Value, raw.Parameters[4].Value) = (part.Length, SampleCodec.EncodeChunk(samples));
                    raw.ExecuteNonQuery();
                }
            }
            Exec(connection, tx, $"INSERT INTO metric_rollup_state (Level, DoneUntilMs) VALUES ('{MetricRollupJob.HourLevel}', {hourDone}), ('{MetricRollupJob.MinuteLevel}', {minuteDone})");
            tx.Commit();
        }

        var catalog = new MetricSeriesCatalog(Options.Create(options), new AppMetrics());
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            catalog.LoadAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
        }
        var store = new SampleStore(Options.Create(options), new AppMetrics(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<SampleStore>.Instance);
        _queries = new MetricQueries(Options.Create(options), catalog, TimeProvider.System, store);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var name in new[] { "$s", "$t", "$v", "$sk", "$e", "$c", "$d" }) if (sql.Contains(name, StringComparison.Ordinal)) cmd.Parameters.Add(new SqliteParameter(name, null));
        return cmd;
    }

    private static void Exec(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = Command(connection, tx, sql);
        cmd.ExecuteNonQuery();
    }

    private static void Fill(SqliteConnection connection, SqliteTransaction tx, string table, long series, long from, long to, long unit, byte[] sketch)
    {
        using var cmd = Command(connection, tx, $"INSERT INTO {table} (SeriesId, Ts, Count, Sum, Min, Max, Sketch) VALUES ($s, $t, 60, $v, 1.5, 90, $sk)");
        cmd.Parameters[0].Value = series;
        cmd.Parameters[3].Value = sketch;
        for (var t = from; t < to; t += unit)
        {
            cmd.Parameters[1].Value = t;
            cmd.Parameters[2].Value = 2745.0 + t / unit % 100;
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Minute rollups as the job leaves them: packed per (series, hour), first and last hour partial.</summary>
    private static void FillMinutes(SqliteConnection connection, SqliteTransaction tx, long series, long from, long to, byte[] sketch)
    {
        var minutes = new List<(long, long, MinuteRollup)>();
        for (var t = from; t < to; t += MinuteMs) minutes.Add((series, t, new MinuteRollup(60, 2745.0 + t / MinuteMs % 100, 1.5, 90, sketch)));
        RollupStore.UpsertMinutesAsync(connection, tx, minutes, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private Task<BucketedResponse> Query(long stepMs, Aggregation agg) =>
        _queries.BucketedAsync("cpu", null, [], _now - 30 * DayMs, _now, stepMs, agg, CancellationToken.None);

    [Benchmark]
    public Task<BucketedResponse> Step1hAvg() => Query(HourMs, Aggregation.Avg);

    [Benchmark]
    public Task<BucketedResponse> Step1hP95() => Query(HourMs, Aggregation.P95);

    [Benchmark]
    public Task<BucketedResponse> Step5mAvg() => Query(5 * MinuteMs, Aggregation.Avg);

    [Benchmark]
    public Task<BucketedResponse> Step5mP95() => Query(5 * MinuteMs, Aggregation.P95);

    [Benchmark]
    public Task<BucketedResponse> Step4mAvg() => Query(4 * MinuteMs, Aggregation.Avg);

    [Benchmark]
    public Task<BucketedResponse> Step4mP95() => Query(4 * MinuteMs, Aggregation.P95);
}
