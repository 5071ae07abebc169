using System.ComponentModel.DataAnnotations;
using Monitoring.Core.Services;

namespace Monitoring.Web.Hosting;

/// <summary>Bound from the <c>Monitoring</c> configuration section; validated at start.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Folder of the SQLite file and logs. Relative paths are from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    [Required]
    public string DatabaseFile { get; set; } = "monitoring.db";

    public CheckOptions Checks { get; set; } = new();
    public WriterOptions Writer { get; set; } = new();
    public RealtimeOptions Realtime { get; set; } = new();
    public Realtime.StreamOptions Stream { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public Security.OutboundOptions Outbound { get; set; } = new();
    public Security.AbuseOptions Abuse { get; set; } = new();
    public Security.SecurityOptions Security { get; set; } = new();
    public Security.AdminSeedOptions Admin { get; set; } = new();
    public Security.BootstrapOptions Bootstrap { get; set; } = new();
    public Metrics.MetricsOptions Metrics { get; set; } = new();
    public Metrics.HostMetricsOptions Host { get; set; } = new();
    public Alerts.AlertOptions Alerts { get; set; } = new();

    /// <summary>Path of a services.json seeded at start (optional).</summary>
    public string? ServicesFile { get; set; }

    /// <summary>Services seeded at start from configuration (matched by name).</summary>
    public List<ServiceInput> Services { get; set; } = [];

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFile));
}

public sealed class CheckOptions
{
    /// <summary>Checks running at once; a due check waits for a slot.</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 512;

    /// <summary>Upper bound of registered services the scheduler holds.</summary>
    [Range(1, 1_000_000)]
    public int MaxServices { get; set; } = 50_000;

    public string UserAgent { get; set; } = "Monitoring/0.1";

    /// <summary>Open connections per target host for HTTP checks. Too low and slow targets queue checks behind each other.</summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerHost { get; set; } = 256;
}

public sealed class WriterOptions
{
    /// <summary>Check results waiting to be written; when full, checkers wait (back-pressure).</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 20_000;

    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>How long the writer lingers for more results before committing a batch.</summary>
    [Range(0, 5_000)]
    public int FlushIntervalMs { get; set; } = 50;
}

public sealed class RealtimeOptions
{
    /// <summary>Minimum time between two delta messages to a hub group.</summary>
    [Range(50, 60_000)]
    public int CoalesceMs { get; set; } = 250;

    [Range(16, 1_000_000)]
    public int MaxPendingChanges { get; set; } = 100_000;

    /// <summary>Deadline of one group send; members still not written to by then are disconnected (they reconnect and resync).</summary>
    [Range(100, 120_000)]
    public int SendTimeoutMs { get; set; } = 5_000;

    /// <summary>Group sends waiting on slow members at once; beyond it new messages are dropped (clients see a sequence gap and resync).</summary>
    [Range(1, 1_000_000)]
    public int MaxSendsInFlight { get; set; } = 10_000;

    /// <summary>service:{id} and metric:{name} groups one connection may join.</summary>
    [Range(1, 10_000)]
    public int MaxGroupsPerConnection { get; set; } = 64;
}

public sealed partial class RetentionOptions
{
    [Range(1, 3650)]
    public int CheckResultsDays { get; set; } = 30;

    /// <summary>Hourly uptime buckets back the 90-day figures, so they live longer than raw results.</summary>
    [Range(91, 3650)]
    public int UptimeHoursDays { get; set; } = 400;

    /// <summary>Cron of the retention job (Hangfire).</summary>
    public string Schedule { get; set; } = "17 * * * *";
}
