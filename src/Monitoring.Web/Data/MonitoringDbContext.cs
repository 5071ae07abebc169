using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Incidents;
using Monitoring.Web.Security;

namespace Monitoring.Web.Data;

public sealed class MonitoringDbContext(DbContextOptions<MonitoringDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<ServiceEntity> Services => Set<ServiceEntity>();
    public DbSet<CheckResultEntity> CheckResults => Set<CheckResultEntity>();
    public DbSet<UptimeHourEntity> UptimeHours => Set<UptimeHourEntity>();
    public DbSet<IncidentEntity> Incidents => Set<IncidentEntity>();
    public DbSet<StreamEventEntity> StreamEvents => Set<StreamEventEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<DisplayLinkEntity> DisplayLinks => Set<DisplayLinkEntity>();
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();
    // Metrics and events
    public DbSet<MetricSeriesEntity> MetricSeries => Set<MetricSeriesEntity>();
    public DbSet<MetricChunkEntity> MetricChunks => Set<MetricChunkEntity>();
    public DbSet<MetricRollupMinuteEntity> MetricRollupsMinute => Set<MetricRollupMinuteEntity>();
    public DbSet<MetricRollupHourEntity> MetricRollupsHour => Set<MetricRollupHourEntity>();
    public DbSet<MetricRollupStateEntity> MetricRollupState => Set<MetricRollupStateEntity>();
    public DbSet<EventEntity> Events => Set<EventEntity>();
    // Notifications
    public DbSet<Notifications.NotificationChannelEntity> NotificationChannels => Set<Notifications.NotificationChannelEntity>();
    public DbSet<Notifications.NotificationOutboxEntity> NotificationOutbox => Set<Notifications.NotificationOutboxEntity>();
    // Alerts
    public DbSet<global::Monitoring.Web.Alerts.AlertRuleEntity> AlertRules => Set<global::Monitoring.Web.Alerts.AlertRuleEntity>();
    public DbSet<global::Monitoring.Web.Alerts.AlertEntity> Alerts => Set<global::Monitoring.Web.Alerts.AlertEntity>();
    public DbSet<global::Monitoring.Web.Alerts.AlertEventEntity> AlertEvents => Set<global::Monitoring.Web.Alerts.AlertEventEntity>();
    public DbSet<global::Monitoring.Web.Alerts.SilenceEntity> Silences => Set<global::Monitoring.Web.Alerts.SilenceEntity>();
    public DbSet<global::Monitoring.Web.Alerts.AlertSeedMarkerEntity> AlertSeedMarkers => Set<global::Monitoring.Web.Alerts.AlertSeedMarkerEntity>();
    // Incident workflow
    public DbSet<IncidentServiceEntity> IncidentServices => Set<IncidentServiceEntity>();
    public DbSet<IncidentNoteEntity> IncidentNotes => Set<IncidentNoteEntity>();
    public DbSet<IncidentUpdateEntity> IncidentUpdates => Set<IncidentUpdateEntity>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.Entity<StreamEventEntity>(e =>
        {
            e.ToTable("stream_events");
            e.HasKey(x => x.Seq);
            e.HasIndex(x => x.AtMs);
        });
        Metrics.MetricsModel.Configure(b);
        Notifications.NotificationsModel.Configure(b);
        global::Monitoring.Web.Alerts.AlertsModel.Configure(b);
        IncidentsModel.Configure(b);
        b.Entity<ApiKeyEntity>(e =>
        {
            e.ToTable("api_keys");
            e.HasIndex(x => x.Prefix).IsUnique();
        });
        b.Entity<DisplayLinkEntity>(e =>
        {
            e.ToTable("display_links");
            e.HasIndex(x => x.Prefix).IsUnique();
        });
        b.Entity<AuditEntryEntity>(e =>
        {
            e.ToTable("audit_log");
            e.HasIndex(x => x.AtMs);
            e.HasIndex(x => new { x.Actor, x.AtMs });
        });
        b.Entity<ServiceEntity>(e =>
        {
            e.ToTable("services");
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => x.HeartbeatToken).IsUnique();
        });
        b.Entity<CheckResultEntity>(e =>
        {
            e.ToTable("check_results");
            e.HasIndex(x => new { x.ServiceId, x.StartedAtMs });
            e.HasIndex(x => x.StartedAtMs);
            e.HasOne<ServiceEntity>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<UptimeHourEntity>(e =>
        {
            e.ToTable("uptime_hours");
            e.HasKey(x => new { x.ServiceId, x.HourStartMs });
            e.HasOne<ServiceEntity>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IncidentEntity>(e =>
        {
            e.ToTable("incidents");
            e.HasIndex(x => new { x.ServiceId, x.Status });
            e.HasIndex(x => x.StartedAtMs);
            e.HasOne<ServiceEntity>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
