using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;

namespace Monitoring.Benchmarks;

/// <summary>
/// The metric sample writer's SQLite paths on a real temp file made by the app's migrations (WAL,
/// synchronous=NORMAL, the writer's 64 MiB page cache), per sample:
/// <list type="bullet">
/// <item><see cref="LogCommit"/>: what every group commit does, one transaction appending one ingest
/// log row of 10,000 samples over <see cref="Series"/> series (<c>SampleCommands.AppendLog</c>), committed.</item>
/// <item><see cref="Compaction"/>: what the writer does every <c>CompactAfterSamples</c> (250,000): encode
/// a frozen head of 250,000 samples into per-series chunks, then one transaction that inserts them
/// and deletes the 25 log rows they came from (<c>SampleStore.BuildChunks</c> + <c>CommitCompactionAsync</c>, in
/// transactions of 250 chunk rows). <see cref="CompactionEncodeOnly"/> is the encoding alone, which runs off the writer.</item>
/// </list>
/// The sum of the two is the SQLite cost of a sample; the compaction part runs off the commit path.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class SampleWriterBenchmarks
{
    public const int BatchSize = 10_000;
    public const int HeadSize = 250_000;

    [Params(100, 1000)]
    public int Series;

    private string _dir = "";
    private SqliteConnection _connection = null!;
    private SampleCommands _commands = null!;
    private SampleStore _store = null!;
    private readonly (long SeriesId, long Ts, double Value)[] _rows = new (long, long, double)[BatchSize];
    private long _ts = 1_700_000_000_000;
    private SampleHead _head = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("monitoring-writer-bench-").FullName;
        var options = new MonitoringOptions { DataDirectory = _dir };
        var connectionString = SqliteSetup.ConnectionString(options);
        using (var db = new MonitoringDbContext(new DbContextOptionsBuilder<MonitoringDbContext>().UseSqlite(connectionString).Options))
            db.Database.Migrate();
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; DROP TABLE IF EXISTS metric_samples_legacy;";
            cmd.ExecuteNonQuery();
        }
        _commands = new SampleCommands(_connection);
        _store = new SampleStore(Options.Create(options), new AppMetrics(), TimeProvider.System, NullLogger<SampleStore>.Instance);
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
            _rows[k] = (k % Series + 1, _ts + k / Series * 1000, k / Series % 50 * 0.5);
        _ts += BatchSize / Series * 1000;
    }

    private long AppendLogRow()
    {
        NextBatch();
        using var tx = _connection.BeginTransaction();
        var id = _commands.AppendLog(_rows);
        tx.Commit();
        return id;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long LogCommit() => AppendLogRow();

    [IterationSetup(Target = nameof(Compaction))]
    public void FillHead()
    {
        _head = new SampleHead(0);
        for (var i = 0; i < HeadSize / BatchSize; i++)
        {
            var id = AppendLogRow();
            _head.Add(id, _rows, 0);
        }
    }

    [Benchmark(OperationsPerInvoke = HeadSize)]
    public async Task Compaction()
    {
        var chunks = SampleStore.BuildChunks(_head);
        await _store.CommitCompactionAsync(_connection, _head, chunks, 0, CancellationToken.None);
    }

    /// <summary>The encoding part of <see cref="Compaction"/> alone (what runs on the thread pool, off the writer).</summary>
    [Benchmark(OperationsPerInvoke = HeadSize)]
    public int CompactionEncodeOnly() => SampleStore.BuildChunks(_head).Count;

    [IterationSetup(Target = nameof(CompactionEncodeOnly))]
    public void FillHeadForEncode() => FillHead();
}
