using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Alerts;
using Monitoring.Web.Data;

namespace Monitoring.Web.Notifications;

/// <summary>
/// Adds outbox rows in the caller's transaction (routing decides which channels) and wakes the
/// <see cref="OutboxDispatcher"/>, which hands committed rows to delivery jobs.
/// </summary>
public sealed class NotificationOutbox(OutboxDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider time) : INotificationOutbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string IdempotencyKey(string eventKey, long channelId) => $"{eventKey}:{channelId}";

    public async Task<int> AddAsync(MonitoringDbContext db, AlertNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var query = db.NotificationChannels.AsNoTracking().Where(c => c.Enabled);
        if (notice.ChannelIds is { Count: > 0 } named)
        {
            var ids = named.Distinct().ToArray();
            query = query.Where(c => ids.Contains(c.Id));
        }
        var channels = (await query.OrderBy(c => c.Id).ToListAsync(cancellationToken)).Where(c => Routes(c, notice.Alert)).ToList();
        if (channels.Count == 0) return 0;

        // A notice added twice (the engine retrying its transaction) must not break it on the unique key.
        var keys = channels.Select(c => IdempotencyKey(notice.EventKey, c.Id)).ToArray();
        var existing = (await db.NotificationOutbox.Where(o => keys.Contains(o.IdempotencyKey)).Select(o => o.IdempotencyKey).ToListAsync(cancellationToken))
            .Concat(db.NotificationOutbox.Local.Select(o => o.IdempotencyKey))
            .ToHashSet(StringComparer.Ordinal);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var message = new NotificationMessage(notice.EventKey, notice.Kind, notice.Alert, notice.At, AlertUrl(notice.Alert.Id));
        var payload = JsonSerializer.Serialize(message, Json);
        var added = 0;
        foreach (var channel in channels)
        {
            var key = IdempotencyKey(notice.EventKey, channel.Id);
            if (!existing.Add(key)) continue;
            db.NotificationOutbox.Add(new NotificationOutboxEntity
            {
                ChannelId = channel.Id,
                EventKey = notice.EventKey,
                IdempotencyKey = key,
                Kind = notice.Kind,
                AlertId = notice.Alert.Id,
                ServiceId = notice.Alert.ServiceId,
                IncidentId = notice.Alert.IncidentId,
                PayloadJson = payload,
                Status = OutboxStatus.Pending,
                NextAttemptAtMs = now,
                CreatedAtMs = now,
                UpdatedAtMs = now,
            });
            added++;
        }
        return added;
    }

    public void Dispatch() => dispatcher.Wake();

    /// <summary>Whether a channel's routing (severities, labels) lets <paramref name="alert"/> through.</summary>
    public static bool Routes(NotificationChannelEntity channel, AlertDto alert)
    {
        var severities = JsonSerializer.Deserialize<List<string>>(channel.SeveritiesJson) ?? [];
        if (severities.Count > 0 && !severities.Contains(alert.Severity, StringComparer.OrdinalIgnoreCase)) return false;
        var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(channel.MatchLabelsJson) ?? [];
        return labels.All(l => alert.Labels.TryGetValue(l.Key, out var v) && string.Equals(v, l.Value, StringComparison.Ordinal));
    }

    public string AlertUrl(long alertId) => $"{options.Value.PublicBaseUrl.TrimEnd('/')}/alerts/{alertId}";
}
