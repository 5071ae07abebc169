using System.Text;
using Monitoring.Web.Metrics;

namespace Monitoring.Web.Notifications;

/// <summary>Delivery figures on /metrics: outcomes, duration, the outbox backlog and open breakers.</summary>
public sealed class NotificationMetrics
{
    private static readonly double[] s_durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly AppMetrics.Histogram _duration = new(s_durationBuckets);
    private long _delivered;
    private long _failed;
    private long _dead;
    private long _deferred;
    private long _pending;

    public NotificationMetrics(AppMetrics metrics, ChannelBreakers breakers)
    {
        metrics.Gauge("monitoring_notification_outbox_pending", "Outbox rows not yet delivered (pending or waiting for a retry).", () => Interlocked.Read(ref _pending));
        metrics.Gauge("monitoring_notification_breakers_open", "Channels whose circuit breaker is open.", () => breakers.OpenCount);
        metrics.Section(Render);
    }

    public void Delivered(double seconds) { Interlocked.Increment(ref _delivered); _duration.Observe(seconds); }
    public void Failed(double seconds) { Interlocked.Increment(ref _failed); _duration.Observe(seconds); }
    public void Dead() => Interlocked.Increment(ref _dead);
    public void Deferred() => Interlocked.Increment(ref _deferred);
    public void Pending(long count) => Interlocked.Exchange(ref _pending, count);

    private void Render(StringBuilder sb)
    {
        sb.Append("# HELP monitoring_notifications_total Delivery attempts by outcome (dead: rows given up).\n# TYPE monitoring_notifications_total counter\n");
        sb.Append("monitoring_notifications_total{outcome=\"delivered\"} ").Append(Interlocked.Read(ref _delivered)).Append('\n');
        sb.Append("monitoring_notifications_total{outcome=\"failed\"} ").Append(Interlocked.Read(ref _failed)).Append('\n');
        sb.Append("monitoring_notifications_total{outcome=\"dead\"} ").Append(Interlocked.Read(ref _dead)).Append('\n');
        sb.Append("# HELP monitoring_notifications_deferred_total Attempts held back because the channel's breaker was open.\n# TYPE monitoring_notifications_deferred_total counter\n");
        sb.Append("monitoring_notifications_deferred_total ").Append(Interlocked.Read(ref _deferred)).Append('\n');
        _duration.Render(sb, "monitoring_notification_delivery_seconds", "Time one delivery attempt took.");
    }
}
