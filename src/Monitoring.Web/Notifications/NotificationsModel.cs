using Microsoft.EntityFrameworkCore;

namespace Monitoring.Web.Notifications;

/// <summary>EF Core configuration of the channel and outbox tables.</summary>
public static class NotificationsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<NotificationChannelEntity>(e =>
        {
            e.ToTable("notification_channels");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Type).HasMaxLength(64);
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<NotificationOutboxEntity>(e =>
        {
            e.ToTable("notification_outbox");
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => new { x.Status, x.NextAttemptAtMs });
            e.HasIndex(x => new { x.IncidentId, x.CreatedAtMs });
            e.HasIndex(x => new { x.ServiceId, x.CreatedAtMs });
            e.HasIndex(x => x.ChannelId);
            e.HasOne<NotificationChannelEntity>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
