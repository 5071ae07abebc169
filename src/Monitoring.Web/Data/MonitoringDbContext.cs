using Microsoft.EntityFrameworkCore;

namespace Monitoring.Web.Data;

public sealed class MonitoringDbContext(DbContextOptions<MonitoringDbContext> options) : DbContext(options)
{
    public DbSet<ServiceEntity> Services => Set<ServiceEntity>();
    public DbSet<CheckResultEntity> CheckResults => Set<CheckResultEntity>();
    public DbSet<UptimeHourEntity> UptimeHours => Set<UptimeHourEntity>();
    public DbSet<IncidentEntity> Incidents => Set<IncidentEntity>();

    protected override void OnModelCreating(ModelBuilder b)
    {
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
