using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

using Monitoring.Web.Realtime;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The one writer of metric samples (group commit). Requests hand over validated samples; the
/// writer drains whatever is queued into one transaction that appends ONE ingest log row, commits,
/// adds the samples to the <see cref="SampleStore"/> head and only then completes the requests'
/// tasks, so a 202 means durable. Between commits it runs the head's compaction: freeze, encode
/// on the thread pool, then a short transaction of chunk rows. Memory is bounded by two sample
/// budgets (<c>Monitoring:Metrics:QueueCapacity</c> for queued samples, <c>HeadCapacity</c> for
/// queued + head): a request that does not fit is refused at once (the API answers 429).
/// </summary>
public sealed partial class MetricSampleWriter : BackgroundService
{
    private readonly Channel<IngestBatch> _queue = Channel.CreateUnbounded<IngestBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MetricsOptions _options;
    private readonly MetricSeriesCatalog _catalog;
    private readonly RecentSamples _recent;
    private readonly EventBus _bus;
    private readonly MetricsLiveFeed _live;
    private readonly AppMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<MetricSampleWriter> _logger;
    private readonly string _connectionString;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SampleStore _store;
    private long _queued;
    // Compaction state, owned by the writer loop.
    private Task<(SampleHead Frozen, List<SampleStore.ChunkRow> Chunks, double Seconds)>? _encoding;
    private (SampleHead Frozen, List<SampleStore.ChunkRow> Chunks, double Seconds)? _encoded;
    private int _committedChunks;
    private readonly List<TaskCompletionSource> _compactRequests = [];
    private readonly object _requestsGate = new();

    private sealed record IngestBatch(IngestSample[] Samples, int Count, TaskCompletionSource? Durable);

    /// <summary>Wakes the writer loop without samples (compaction finished encoding, a timer tick, a request).</summary>
    private static readonly IngestBatch s_wake = new([], 0, null);

    public MetricSampleWriter(IOptions<MonitoringOptions> options, MetricSeriesCatalog catalog, RecentSamples recent, MetricsLiveFeed live,
        AppMetrics metrics, TimeProvider time, EventBus bus, SampleStore store, ILogger<MetricSampleWriter> logger)
    {
        _store = store;
        _bus = bus;
        _options = options.Value.Metrics;
        _catalog = catalog;
        _recent = recent;
        _live = live;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _connectionString = SqliteSetup.ConnectionString(options.Value);
        metrics.Gauge("monitoring_metric_writer_queued_samples", "Metric samples accepted and waiting for their commit.", () => Interlocked.Read(ref _queued));
    }

    /// <summary>Samples accepted and not yet committed.</summary>
    public long QueuedSamples => Interlocked.Read(ref _queued);

    /// <summary>
    /// Queues the first <paramref name="count"/> samples if they fit in the budget; <paramref name="durable"/>
    /// completes after their commit (or faults if the transaction failed), and from then on the writer
    /// no longer reads the array. False means "writer behind, retry later".
    /// </summary>
    public bool TryEnqueue(IngestSample[] samples, int count, out Task durable)
    {
        durable = Task.CompletedTask;
        if (!Reserve(count)) return false;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new IngestBatch(samples, count, done)))
        {
            Interlocked.Add(ref _queued, -count);
            return false;
        }
        durable = done.Task;
        return true;
    }

    /// <inheritdoc cref="TryEnqueue(IngestSample[], int, out Task)"/>
    public bool TryEnqueue(ValidSample[] samples, out Task durable) => TryEnqueue(IngestSample.From(samples), samples.Length, out durable);

    /// <summary>Queues samples nobody waits for (host metrics, aggregation); false when the budget is spent.</summary>
    public bool TryEnqueueUnacknowledged(ValidSample[] samples)
    {
        if (!Reserve(samples.Length)) return false;
        if (_queue.Writer.TryWrite(new IngestBatch(IngestSample.From(samples), samples.Length, null))) return true;
        Interlocked.Add(ref _queued, -samples.Length);
        return false;
    }

    private bool Reserve(int count)
    {
        // A request larger than the whole budget still goes through when nothing else is queued
        // (and the head is empty): the head's budget includes what is queued for it.
        var after = Interlocked.Add(ref _queued, count);
        var head = _store.HeadSamples;
        if ((after <= _options.QueueCapacity || after == count) && (head + after <= _options.HeadCapacity || (head == 0 && after == count))) return true;
        Interlocked.Add(ref _queued, -count);
        return false;
    }

    /// <summary>
    /// Compacts the whole head now (waits for a compaction in progress, then freezes and writes what
    /// is left) on the writer's loop; completes when its chunks are committed. For tests and benches.
    /// </summary>
    public Task CompactAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_requestsGate) _compactRequests.Add(done);
        _queue.Writer.TryWrite(s_wake);
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(stoppingToken);
        await SqliteSetup.ApplyPragmasAsync(connection, stoppingToken);
        await using (var tuning = connection.CreateCommand())
        {
            // A cache that holds the newest page of every active series; and when the WAL restarts
            // after a checkpoint, the file is cut back to 64 MiB instead of keeping its high-water mark.
            tuning.CommandText = $"PRAGMA cache_size = {-1024L * _options.WriterCacheMiB}; PRAGMA journal_size_limit = {64L << 20};";
            await tuning.ExecuteNonQueryAsync(stoppingToken);
        }
        using var commands = new SampleCommands(connection);
        _started.TrySetResult();
        // The age trigger of compaction needs a look now and then even when nothing is ingested.
        await using var tick = _time.CreateTimer(_ => _queue.Writer.TryWrite(s_wake), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var batch = new List<IngestBatch>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var count = Fill(reader, batch, 0);
                if (count < _options.MaxBatchSize && _options.FlushIntervalMs > 0)
                {
                    // Linger briefly so a trickle of requests shares one commit.
                    await Task.Delay(_options.FlushIntervalMs, stoppingToken);
                    count = Fill(reader, batch, count);
                }
                if (count > 0) await WriteBatchAsync(connection, commands, batch, count, stoppingToken);
                batch.Clear();
                await CompactionStepAsync(connection, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Drain what is left so a clean shutdown loses nothing already accepted.
        while (true)
        {
            var count = Fill(reader, batch, 0);
            if (count == 0 && batch.Count == 0) break;
            if (count > 0) await WriteBatchAsync(connection, commands, batch, count, CancellationToken.None);
            batch.Clear();
        }
        // A compaction that did not commit is simply lost: its log rows are replayed at the next start.
        lock (_requestsGate)
        {
            foreach (var r in _compactRequests) r.TrySetCanceled();
            _compactRequests.Clear();
        }
    }

    /// <summary>
    /// Between two commits: commits a finished compaction (one short transaction), then starts the
    /// next one if the head is due (encoding runs on the thread pool, ingest commits go on meanwhile).
    /// </summary>
    private async Task CompactionStepAsync(SqliteConnection connection, CancellationToken ct)
    {
        List<TaskCompletionSource>? requests = null;
        lock (_requestsGate)
        {
            if (_compactRequests.Count > 0)
            {
                requests = [.. _compactRequests];
                _compactRequests.Clear();
            }
        }
        try
        {
            if (_encoding is { } encoding && (encoding.IsCompleted || requests is not null))
            {
                _encoding = null;
                _encoded = await encoding;
            }
            // One slice of chunk rows per step, so ingest commits run in between (all of them when asked to compact now).
            // Kept until it commits: a failed slice is tried again at the next step.
            while (_encoded is { } ready)
            {
                var to = _committedChunks + SampleStore.ChunksPerCompactionTransaction;
                await _store.CommitCompactionAsync(connection, ready.Frozen, ready.Chunks, _committedChunks, to, ready.Seconds, ct);
                _committedChunks = to;
                if (to >= ready.Chunks.Count)
                {
                    _encoded = null;
                    _committedChunks = 0;
                }
                if (requests is not null) continue;
                // Come back for the next slice right after the ingest batches queued meanwhile.
                if (_encoded is not null) _queue.Writer.TryWrite(s_wake);
                return;
            }
            if (requests is not null)
            {
                if (_store.Freeze() is { } head)
                {
                    var (frozen, chunks, seconds) = Encode(head);
                    await _store.CommitCompactionAsync(connection, frozen, chunks, seconds, ct);
                }
                foreach (var r in requests) r.TrySetResult();
            }
            else if (_encoding is null && _store.CompactionDue() && _store.Freeze() is { } head)
            {
                _encoding = Task.Run(() =>
                {
                    try { return Encode(head); }
                    finally { _queue.Writer.TryWrite(s_wake); }
                }, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The frozen head stays readable and its log rows stay; the commit is tried again at the
            // next step. Until it succeeds no new compaction starts, so the head fills up and ingest gets 429s.
            LogCompactionFailed(ex);
            if (requests is not null) foreach (var r in requests) r.TrySetException(ex);
        }
    }

    private static (SampleHead Frozen, List<SampleStore.ChunkRow> Chunks, double Seconds) Encode(SampleHead head)
    {
        var started = Stopwatch.GetTimestamp();
        var chunks = SampleStore.BuildChunks(head);
        return (head, chunks, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private int Fill(ChannelReader<IngestBatch> reader, List<IngestBatch> batch, int count)
    {
        // A request's samples are never split: one request, one commit.
        while (count < _options.MaxBatchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
            count += item.Count;
        }
        return count;
    }

    private async Task WriteBatchAsync(SqliteConnection connection, SampleCommands commands, List<IngestBatch> batch, int count, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var created = new Dictionary<string, SeriesInfo>(StringComparer.Ordinal);
        var written = new (long SeriesId, long Ts, double Value)[count];
        long logId = 0;
        for (var attempt = 1; ; attempt++)
        {
            created.Clear();
            try
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                var n = 0;
                foreach (var item in batch)
                {
                    foreach (ref readonly var s in item.Samples.AsSpan(0, item.Count))
                    {
                        var identity = s.Identity;
                        if (!identity.TryResolve(_catalog, out var series) && !created.TryGetValue(identity.Key, out series))
                        {
                            var id = commands.InsertSeries(tx, identity.Name, identity.Service, MetricSeriesCatalog.LabelsJson(identity.Labels), (int)s.Type, nowMs);
                            created[identity.Key] = series = new SeriesInfo(id, identity.Name, s.Type, identity.Service, identity.Labels);
                        }
                        written[n++] = (series.Id, s.TimestampMs, s.Value);
                    }
                }
                logId = commands.AppendLog(written);
                await tx.CommitAsync(cancellationToken);
                break;
            }
            catch (Exception ex) when (attempt < 3 && ex is not OperationCanceledException)
            {
                LogRetry(ex, attempt);
                await Task.Delay(50 * attempt, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogBatchLost(ex, count);
                _metrics.SampleBatchFailed();
                Interlocked.Add(ref _queued, -count);
                foreach (var item in batch) item.Durable?.TrySetException(ex);
                return;
            }
        }
        // Only committed series become visible to readers.
        foreach (var (key, series) in created) _catalog.Add(key, series);
        // Readers see the samples in the head before the requests are answered.
        _store.Append(logId, written);
        Interlocked.Add(ref _queued, -count);
        _metrics.SampleBatchCommitted(count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var item in batch) item.Durable?.TrySetResult();
        _recent.Add(written);
        _live.Offer(written);
        _bus.Publish(new SamplesCommitted(written));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Compacting the sample head failed; its log rows stay and are replayed at the next start")]
    private partial void LogCompactionFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing a batch of samples failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception ex, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing a batch of {Count} samples failed for good; their requests were answered 503")]
    private partial void LogBatchLost(Exception ex, int count);
}
