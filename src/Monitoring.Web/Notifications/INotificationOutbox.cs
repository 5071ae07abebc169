using Monitoring.Core.Alerts;
using Monitoring.Web.Data;

namespace Monitoring.Web.Notifications;

/// <summary>
/// One notification-worthy moment of an alert. <see cref="EventKey"/> is unique per moment
/// (e.g. <c>alert:42:firing</c>, <c>alert:42:repeat:3</c>, <c>alert:42:resolved</c>); the idempotency
/// key of a delivery is <c>{EventKey}:{channelId}</c>, so a retried delivery never acts twice.
/// </summary>
public sealed record AlertNotice(string EventKey, string Kind, AlertDto Alert, IReadOnlyList<long> ChannelIds, DateTimeOffset At);

/// <summary>
/// The notification outbox, the source of truth for delivery. The alert engine adds rows inside
/// its own transaction (so an alert change and its notifications commit together), then calls
/// <see cref="Dispatch"/> after commit to hand new rows to the delivery jobs.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>
    /// Adds one outbox row per channel that should get <paramref name="notice"/>: the rule's channels
    /// when it names some, otherwise every enabled channel; in both cases only channels whose routing
    /// (severities, labels) matches. Does not save; returns how many rows were added.
    /// </summary>
    Task<int> AddAsync(MonitoringDbContext db, AlertNotice notice, CancellationToken cancellationToken);

    /// <summary>Enqueues delivery of rows committed but not yet handed to a job. Cheap; safe to call often.</summary>
    void Dispatch();
}
