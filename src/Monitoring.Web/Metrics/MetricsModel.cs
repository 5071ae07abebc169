using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;

namespace Monitoring.Web.Metrics;

/// <summary>EF Core configuration of the metric and event tables (kept here so the shared DbContext gets one line).</summary>
public static class MetricsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<MetricSeriesEntity>(e =>
        {
            e.ToTable("metric_series");
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => new { x.Name, x.Service, x.LabelsJson }).IsUnique();
        });
        b.Entity<MetricIngestLogEntity>(e => e.ToTable("metric_ingest_log"));
        b.Entity<MetricChunkEntity>(e =>
        {
            e.ToTable("metric_chunks");
            e.HasIndex(x => new { x.SeriesId, x.StartTs });
        });
        b.Entity<MetricRollupMinuteEntity>(e =>
        {
            e.ToTable("metric_rollups_1m");
            e.HasKey(x => new { x.SeriesId, x.Ts });
        });
        b.Entity<MetricRollupHourEntity>(e =>
        {
            e.ToTable("metric_rollups_1h");
            e.HasKey(x => new { x.SeriesId, x.Ts });
        });
        b.Entity<MetricRollupStateEntity>(e =>
        {
            e.ToTable("metric_rollup_state");
            e.HasKey(x => x.Level);
        });
        b.Entity<EventEntity>(e =>
        {
            e.ToTable("events");
            e.HasIndex(x => x.TimestampMs);
            e.HasIndex(x => new { x.EventType, x.TimestampMs });
            e.HasIndex(x => new { x.Source, x.TimestampMs });
        });
    }
}
