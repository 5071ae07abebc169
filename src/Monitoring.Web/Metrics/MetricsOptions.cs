using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Metrics;

/// <summary><c>Monitoring:Metrics</c>: the ingest pipeline, series capacity and live feed.</summary>
public sealed class MetricsOptions
{
    /// <summary>Samples accepted but not yet committed; beyond this an ingest request gets 429.</summary>
    [Range(10_000, 10_000_000)]
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>
    /// Raw samples held in memory (active and frozen head, plus those queued) before compaction
    /// writes them as chunks; beyond this an ingest request gets 429 until compaction catches up.
    /// </summary>
    [Range(1_000, 50_000_000)]
    public int HeadCapacity { get; set; } = 1_000_000;

    /// <summary>Compaction starts when the head holds this many samples...</summary>
    [Range(1, 50_000_000)]
    public int CompactAfterSamples { get; set; } = 250_000;

    /// <summary>...or when its oldest sample arrived this many seconds ago.</summary>
    [Range(1, 86_400)]
    public int CompactAfterSeconds { get; set; } = 60;

    /// <summary>Samples per transaction at most.</summary>
    [Range(100, 1_000_000)]
    public int MaxBatchSize { get; set; } = 50_000;

    /// <summary>How long the writer lingers for more requests before committing (0: commit what is there).</summary>
    [Range(0, 1_000)]
    public int FlushIntervalMs { get; set; } = 0;

    /// <summary>
    /// Page cache of the sample writer's connection (MiB): the newest pages of the ingest log and of
    /// the chunk table and its index, which every commit and compaction touches.
    /// </summary>
    [Range(2, 4_096)]
    public int WriterCacheMiB { get; set; } = 64;

    /// <summary>Samples per request at most (more is a 413).</summary>
    [Range(1, 100_000)]
    public int MaxSamplesPerRequest { get; set; } = 10_000;

    /// <summary>Distinct series kept (name + service + labels); a sample for a new series beyond this is rejected.</summary>
    [Range(100, 10_000_000)]
    public int MaxSeries { get; set; } = 100_000;

    /// <summary>Retry-After (seconds) sent with a 429 when the writer is behind.</summary>
    [Range(1, 60)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How far in the future a sample's timestamp may be.</summary>
    [Range(0, 86_400)]
    public int MaxFutureSeconds { get; set; } = 600;

    /// <summary>Newest samples kept in memory for <c>/api/v1/metrics/recent</c>.</summary>
    [Range(10, 1_000_000)]
    public int RecentCapacity { get; set; } = 10_000;

    /// <summary>Series whose latest value is held for the next live update; more in one interval are dropped (and counted).</summary>
    [Range(10, 1_000_000)]
    public int LiveMaxSeries { get; set; } = 5_000;

    /// <summary>Cron of the rollup job (minute rollups, then hour rollups of completed hours).</summary>
    public string RollupSchedule { get; set; } = "* * * * *";

    /// <summary>Minute rollups wait this long after a minute ends, for late samples.</summary>
    [Range(0, 3_600)]
    public int RollupDelaySeconds { get; set; } = 60;
}
