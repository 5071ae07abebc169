using System.Globalization;
using System.Text;
using Monitoring.Core.Services;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The app's own figures, exposed on <c>/metrics</c> in Prometheus text format. Counters are
/// lock-free; gauges are read from their owners at scrape time.
/// </summary>
public enum SkipReason { Overlap, Saturated }

public sealed class AppMetrics
{
    // Start lag buckets in seconds: 1 ms .. 10 s.
    private static readonly double[] s_lagBuckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] s_batchBuckets = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly long[] _checksByOutcome = new long[Enum.GetValues<ServiceStatus>().Length];
    private readonly Histogram _startLag = new(s_lagBuckets);
    private readonly Histogram _writerCommit = new(s_batchBuckets);
    private long _skippedOverlap;
    private long _skippedSaturated;
    private long _resultsWritten;
    private long _batches;
    private long _retries;
    private long _incidentsOpened;
    private long _incidentsClosed;
    private long _broadcastMessages;
    private readonly List<(string Name, string Help, Func<double> Read)> _gauges = [];
    private readonly List<Action<StringBuilder>> _sections = [];
    // Metrics and events
    private static readonly double[] s_sampleBatchBuckets = [1, 10, 100, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000];
    private readonly Histogram _sampleBatchSize = new(s_sampleBatchBuckets);
    private readonly Histogram _sampleCommit = new(s_batchBuckets);
    private long _samplesIngested;
    private long _samplesRejected;
    private long _ingestThrottled;
    private long _sampleBatchesFailed;
    private long _eventsIngested;
    private long _liveSeriesDropped;
    private long _hostCollections;
    private long _hostCollectionFailures;

    public void CheckCompleted(ServiceStatus status) => Interlocked.Increment(ref _checksByOutcome[(int)status]);
    public void StartLag(double seconds) => _startLag.Observe(seconds);
    public void CheckSkipped(SkipReason reason)
    {
        if (reason == SkipReason.Overlap) Interlocked.Increment(ref _skippedOverlap);
        else Interlocked.Increment(ref _skippedSaturated);
    }
    public void RetryAttempted() => Interlocked.Increment(ref _retries);
    public void BatchCommitted(int size, double seconds)
    {
        Interlocked.Add(ref _resultsWritten, size);
        Interlocked.Increment(ref _batches);
        _writerCommit.Observe(seconds);
    }
    public void IncidentOpened() => Interlocked.Increment(ref _incidentsOpened);
    public void IncidentClosed() => Interlocked.Increment(ref _incidentsClosed);
    public void BroadcastSent() => Interlocked.Increment(ref _broadcastMessages);
    public void SampleBatchCommitted(int samples, double seconds)
    {
        Interlocked.Add(ref _samplesIngested, samples);
        _sampleBatchSize.Observe(samples);
        _sampleCommit.Observe(seconds);
    }
    public void SamplesRejected(int count) => Interlocked.Add(ref _samplesRejected, count);
    public void IngestThrottled() => Interlocked.Increment(ref _ingestThrottled);
    public void SampleBatchFailed() => Interlocked.Increment(ref _sampleBatchesFailed);
    public void EventsIngested(int count) => Interlocked.Add(ref _eventsIngested, count);
    public void LiveSeriesDropped() => Interlocked.Increment(ref _liveSeriesDropped);
    public void HostCollected(bool ok) => Interlocked.Increment(ref ok ? ref _hostCollections : ref _hostCollectionFailures);
    public long SamplesIngested => Interlocked.Read(ref _samplesIngested);

    public long ChecksTotal => _checksByOutcome.Sum(c => Interlocked.Read(ref c));
    public long Skipped => Interlocked.Read(ref _skippedOverlap) + Interlocked.Read(ref _skippedSaturated);
    public Histogram StartLagHistogram => _startLag;

    /// <summary>Registers a gauge read at scrape time (queue depths, in-flight, connected clients).</summary>
    public void Gauge(string name, string help, Func<double> read)
    {
        lock (_gauges) _gauges.Add((name, help, read));
    }

    /// <summary>Registers a block of lines a feature renders itself (its counters and histograms) at scrape time.</summary>
    public void Section(Action<StringBuilder> render)
    {
        lock (_sections) _sections.Add(render);
    }

    public string Render()
    {
        var sb = new StringBuilder(4096);
        sb.Append("# HELP monitoring_checks_total Checks completed, by outcome.\n# TYPE monitoring_checks_total counter\n");
        foreach (var status in Enum.GetValues<ServiceStatus>())
            sb.Append("monitoring_checks_total{outcome=\"").Append(status.ToApi()).Append("\"} ").Append(Interlocked.Read(ref _checksByOutcome[(int)status])).Append('\n');
        sb.Append("# HELP monitoring_checks_skipped_total Due checks skipped: the previous one still running (overlap) or every concurrency slot busy (saturated).\n# TYPE monitoring_checks_skipped_total counter\n");
        sb.Append("monitoring_checks_skipped_total{reason=\"overlap\"} ").Append(Interlocked.Read(ref _skippedOverlap)).Append('\n');
        sb.Append("monitoring_checks_skipped_total{reason=\"saturated\"} ").Append(Interlocked.Read(ref _skippedSaturated)).Append('\n');
        Counter(sb, "monitoring_check_retries_total", "Immediate retries spent confirming failures.", _retries);
        _startLag.Render(sb, "monitoring_check_start_lag_seconds", "Delay from a check's due time to its start.");
        Counter(sb, "monitoring_writer_results_total", "Check results committed by the writer.", _resultsWritten);
        Counter(sb, "monitoring_writer_batches_total", "Batches committed by the writer.", _batches);
        _writerCommit.Render(sb, "monitoring_writer_commit_seconds", "Time to write and commit one batch.");
        Counter(sb, "monitoring_incidents_opened_total", "Incidents opened automatically.", _incidentsOpened);
        Counter(sb, "monitoring_incidents_closed_total", "Incidents closed automatically by recovery.", _incidentsClosed);
        Counter(sb, "monitoring_hub_messages_total", "Delta messages sent to hub groups.", _broadcastMessages);
        RenderRuntime(sb);
        Counter(sb, "monitoring_metric_samples_ingested_total", "Metric samples committed by the sample writer.", Interlocked.Read(ref _samplesIngested));
        Counter(sb, "monitoring_metric_samples_rejected_total", "Metric samples in requests rejected by validation.", Interlocked.Read(ref _samplesRejected));
        Counter(sb, "monitoring_metric_ingest_throttled_total", "Ingest requests answered 429 because the sample writer was behind.", Interlocked.Read(ref _ingestThrottled));
        Counter(sb, "monitoring_metric_batches_failed_total", "Sample batches whose transaction failed (their requests got 503).", Interlocked.Read(ref _sampleBatchesFailed));
        _sampleBatchSize.Render(sb, "monitoring_metric_writer_batch_samples", "Samples per committed sample-writer transaction.");
        _sampleCommit.Render(sb, "monitoring_metric_writer_commit_seconds", "Time to write and commit one batch of samples.");
        Counter(sb, "monitoring_events_ingested_total", "Events stored.", Interlocked.Read(ref _eventsIngested));
        Counter(sb, "monitoring_metric_live_dropped_total", "Series left out of a live update because the live feed was at capacity.", Interlocked.Read(ref _liveSeriesDropped));
        Counter(sb, "monitoring_host_collections_total", "Host metric collections completed.", Interlocked.Read(ref _hostCollections));
        Counter(sb, "monitoring_host_collection_failures_total", "Host metric collections that failed.", Interlocked.Read(ref _hostCollectionFailures));
        lock (_gauges)
        {
            foreach (var (name, help, read) in _gauges)
            {
                sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
                sb.Append("# TYPE ").Append(name).Append(" gauge\n");
                sb.Append(name).Append(' ').Append(Format(read())).Append('\n');
            }
        }
        lock (_sections)
        {
            foreach (var render in _sections) render(sb);
        }
        return sb.ToString();
    }

    // The runtime's own figures, so a lag spike can be told apart from GC or thread-pool starvation.
    private static void RenderRuntime(StringBuilder sb)
    {
        Counter(sb, "dotnet_gc_pause_seconds_total", "Time the GC paused the process since start.", GC.GetTotalPauseDuration().TotalSeconds);
        sb.Append("# HELP dotnet_gc_collections_total GC collections since start, by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
            sb.Append("dotnet_gc_collections_total{generation=\"").Append(gen).Append("\"} ").Append(GC.CollectionCount(gen)).Append('\n');
        GaugeLine(sb, "dotnet_gc_heap_bytes", "Bytes in the managed heap.", GC.GetTotalMemory(false));
        GaugeLine(sb, "dotnet_threadpool_threads", "Thread-pool threads.", ThreadPool.ThreadCount);
        GaugeLine(sb, "dotnet_threadpool_queue_length", "Work items waiting for a thread-pool thread.", ThreadPool.PendingWorkItemCount);
        GaugeLine(sb, "process_working_set_bytes", "Resident memory of the process.", Environment.WorkingSet);
    }

    private static void GaugeLine(StringBuilder sb, string name, string help, double value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n").Append(name).Append(' ').Append(Format(value)).Append('\n');

    private static void Counter(StringBuilder sb, string name, string help, double value)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" counter\n");
        sb.Append(name).Append(' ').Append(Format(value)).Append('\n');
    }

    private static void Counter(StringBuilder sb, string name, string help, long value)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" counter\n");
        sb.Append(name).Append(' ').Append(value).Append('\n');
    }

    internal static string Format(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A cumulative histogram with fixed bucket bounds.</summary>
    public sealed class Histogram(double[] bounds)
    {
        private readonly long[] _counts = new long[bounds.Length + 1];
        private long _count;
        private long _sumMicros;

        public long Count => Interlocked.Read(ref _count);

        public void Observe(double value)
        {
            var i = Array.BinarySearch(bounds, value);
            if (i < 0) i = ~i;
            Interlocked.Increment(ref _counts[i]);
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _sumMicros, (long)(value * 1_000_000));
        }

        public void Render(StringBuilder sb, string name, string help)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(" histogram\n");
            long cumulative = 0;
            for (var i = 0; i < bounds.Length; i++)
            {
                cumulative += Interlocked.Read(ref _counts[i]);
                sb.Append(name).Append("_bucket{le=\"").Append(Format(bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
            }
            cumulative += Interlocked.Read(ref _counts[^1]);
            sb.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(cumulative).Append('\n');
            sb.Append(name).Append("_sum ").Append(Format(Interlocked.Read(ref _sumMicros) / 1_000_000.0)).Append('\n');
            sb.Append(name).Append("_count ").Append(cumulative).Append('\n');
        }
    }
}
