using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Monitoring.Web.Metrics;

namespace Monitoring.Benchmarks;

/// <summary>
/// The metric sample writer's SQLite path on a real temp file (WAL, synchronous=NORMAL, as the
/// server opens it): one transaction of 10,000 samples over <see cref="Series"/> series, committed.
/// Time and allocations are per sample. Each call writes the next 10,000 timestamps, so the table
/// grows through the run as it does under ingest.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class SampleWriterBenchmarks
{
    public const int BatchSize = 10_000;

    [Params(100, 1000)]
    public int Series;

    /// <summary>Connection settings: SQLite's defaults (2 MiB page cache), or the writer's (64 MiB, Monitoring:Metrics:WriterCacheMiB).</summary>
    [Params("sqlite-default", "writer")]
    public string Settings = "writer";

    private string _dir = "";
    private SqliteConnection _connection = null!;
    private SampleCommands _commands = null!;
    private readonly (long SeriesId, long Ts, double Value)[] _rows = new (long, long, double)[BatchSize];
    private long _ts = 1_700_000_000_000;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("monitoring-writer-bench-").FullName;
        _connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "bench.db")};Pooling=False");
        _connection.Open();
        using (var cmd = _connection.CreateCommand())
        {
            // The table as the Metrics migration creates it, and the writer connection's settings.
            cmd.CommandText = """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                CREATE TABLE metric_samples (SeriesId INTEGER NOT NULL, Ts INTEGER NOT NULL, Value REAL NOT NULL,
                    CONSTRAINT PK_metric_samples PRIMARY KEY (SeriesId, Ts)) WITHOUT ROWID;
                """;
            cmd.ExecuteNonQuery();
        }
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = Settings == "writer" ? "PRAGMA cache_size = -65536;" : "SELECT 1;";
            cmd.ExecuteNonQuery();
        }
        _commands = new SampleCommands(_connection);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _commands.Dispose();
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    /// <summary>Samples as clients send them: every series once, then every series again one step later.</summary>
    private void NextBatch()
    {
        for (var k = 0; k < BatchSize; k++)
            _rows[k] = (k % Series + 1, _ts + k / Series * 1000, k * 0.5);
        _ts += BatchSize / Series * 1000;
    }

    /// <summary>The writer's path: sorted by key, 100 rows per statement, values bound natively.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void NativeSortedMultiRow()
    {
        NextBatch();
        using var tx = _connection.BeginTransaction();
        _commands.InsertSamples(_rows);
        tx.Commit();
    }

    /// <summary>
    /// The previous path, for comparison in the same conditions: SqliteCommand with 64 rows per
    /// statement, boxed parameter values, rows in arrival order.
    /// </summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void BoxedParametersArrivalOrder()
    {
        NextBatch();
        using var tx = _connection.BeginTransaction();
        const int per = 64;
        const string tail = " ON CONFLICT (SeriesId, Ts) DO UPDATE SET Value = excluded.Value";
        using var many = _connection.CreateCommand();
        many.Transaction = tx;
        many.CommandText = "INSERT INTO metric_samples (SeriesId, Ts, Value) VALUES "
            + string.Join(",", Enumerable.Range(0, per).Select(i => $"($s{i},$t{i},$v{i})")) + tail;
        for (var i = 0; i < per; i++)
        {
            many.Parameters.Add(new SqliteParameter($"$s{i}", null));
            many.Parameters.Add(new SqliteParameter($"$t{i}", null));
            many.Parameters.Add(new SqliteParameter($"$v{i}", null));
        }
        many.Prepare();
        using var one = _connection.CreateCommand();
        one.Transaction = tx;
        one.CommandText = "INSERT INTO metric_samples (SeriesId, Ts, Value) VALUES ($s,$t,$v)" + tail;
        var s = one.Parameters.Add(new SqliteParameter("$s", null));
        var t = one.Parameters.Add(new SqliteParameter("$t", null));
        var v = one.Parameters.Add(new SqliteParameter("$v", null));
        one.Prepare();
        var p = many.Parameters;
        var r = 0;
        for (; r + per <= _rows.Length; r += per)
        {
            for (var k = 0; k < per; k++)
            {
                p[3 * k].Value = _rows[r + k].SeriesId;
                p[3 * k + 1].Value = _rows[r + k].Ts;
                p[3 * k + 2].Value = _rows[r + k].Value;
            }
            many.ExecuteNonQuery();
        }
        for (; r < _rows.Length; r++)
        {
            (s.Value, t.Value, v.Value) = (_rows[r].SeriesId, _rows[r].Ts, _rows[r].Value);
            one.ExecuteNonQuery();
        }
        tx.Commit();
    }
}
