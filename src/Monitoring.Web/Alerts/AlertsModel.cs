using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;

namespace Monitoring.Web.Alerts;

/// <summary>EF Core configuration of the alert tables (kept here so the shared DbContext gets one line).</summary>
public static class AlertsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<AlertRuleEntity>(e =>
        {
            e.ToTable("alert_rules");
            e.Property(x => x.Name).HasMaxLength(200);
        });
        b.Entity<AlertEntity>(e =>
        {
            e.ToTable("alerts");
            e.HasIndex(x => new { x.State, x.StartedAtMs });
            e.HasIndex(x => x.StartedAtMs);
            e.HasIndex(x => new { x.ServiceId, x.StartedAtMs });
            e.HasIndex(x => x.IncidentId);
            e.HasIndex(x => x.ResolvedAtMs);
            e.HasIndex(x => x.Fingerprint);
            e.HasOne<AlertRuleEntity>().WithMany().HasForeignKey(x => x.RuleId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<AlertEventEntity>(e =>
        {
            e.ToTable("alert_events");
            e.HasIndex(x => new { x.AlertId, x.AtMs });
            e.HasIndex(x => x.AtMs);
            e.HasOne<AlertEntity>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SilenceEntity>(e =>
        {
            e.ToTable("silences");
            e.HasIndex(x => x.EndsAtMs);
        });
        b.Entity<AlertSeedMarkerEntity>(e =>
        {
            e.ToTable("alert_seed_markers");
            e.HasKey(x => x.Key);
        });
    }
}
