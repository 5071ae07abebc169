using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Incidents;
using Monitoring.Web.Data;
using Monitoring.Web.Incidents;

namespace Monitoring.Web.Notifications;

/// <summary>Incident timeline entries for notifications: sent (delivered) and failed (given up, or failing still).</summary>
public sealed class NotificationTimelineSource(IDbContextFactory<MonitoringDbContext> dbFactory) : ITimelineSource
{
    private const int MaxEntries = 500;

    public async Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var serviceIds = query.ServiceIds.ToArray();
        var rows = await db.NotificationOutbox.AsNoTracking()
            .Where(o => o.IncidentId == query.IncidentId || (o.ServiceId != null && serviceIds.Contains(o.ServiceId.Value)))
            .Where(o => o.Status != OutboxStatus.Pending)
            .Where(o => o.CreatedAtMs <= query.ToMs && (o.DeliveredAtMs ?? o.UpdatedAtMs) >= query.FromMs)
            .Join(db.NotificationChannels, o => o.ChannelId, c => c.Id, (o, c) => new { o, c.Name, c.Type })
            .OrderBy(x => x.o.CreatedAtMs)
            .Take(MaxEntries)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(x =>
        {
            var sent = x.o.Status == OutboxStatus.Delivered;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(sent ? x.o.DeliveredAtMs ?? x.o.UpdatedAtMs : x.o.UpdatedAtMs);
            var title = sent ? $"Notification sent to {x.Name} ({x.Type})" : $"Notification to {x.Name} ({x.Type}) failed";
            var detail = sent ? $"{x.o.Kind}, attempt {x.o.Attempts}" : $"{x.o.Kind}, {x.o.Attempts} attempt(s){(x.o.Status == OutboxStatus.Dead ? ", given up" : ", retrying")}: {x.o.LastError}";
            return new TimelineEntryDto(at, sent ? "notification_sent" : "notification_failed", title, detail, null, x.o.ServiceId, $"alert:{x.o.AlertId}");
        })];
    }
}
