using Microsoft.Extensions.Options;
using Monitoring.Core.Alerts;
using Monitoring.Core.Realtime;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Realtime;

namespace Monitoring.Web.Alerts;

/// <summary>
/// Sends alert changes to the overview group, coalesced: at most one <c>AlertsChanged</c> every
/// <c>Monitoring:Realtime:CoalesceMs</c>, carrying the latest state of each alert that changed, with a
/// sequence that increases by one per message. The snapshot and the delta take the same lock, so
/// a snapshot's sequence describes exactly the changes sent before it.
/// <para>
/// Only the overview's alert feed listens, and it shows the newest few. A flapping fleet changes
/// hundreds of alerts a second, so a message carries at most <see cref="MaxAlertsPerMessage"/> (the
/// newest changes) and says how many it left out (<see cref="AlertDelta.Omitted"/>); the client
/// then resyncs from a snapshot, at most every few seconds. The snapshot holds the newest
/// <see cref="MaxSnapshotAlerts"/> active alerts.
/// </para>
/// </summary>
public sealed partial class AlertHubPublisher(
    GroupSender sender,
    IServiceProvider services,
    AppMetrics metrics,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<AlertHubPublisher> logger) : BackgroundService
{
    public const int MaxSnapshotAlerts = 200;
    public const int MaxAlertsPerMessage = 50;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, AlertDto> _pending = [];
    private long _sequence;
    private long _dropped;

    /// <summary>Called by the engine after a commit.</summary>
    public void Changed(IEnumerable<AlertDto> alerts)
    {
        lock (_lock)
        {
            foreach (var a in alerts)
            {
                if (_pending.Count >= options.Value.Realtime.MaxPendingChanges && !_pending.ContainsKey(a.Id))
                {
                    _dropped++; // the client sees the gap in state on its next snapshot
                    continue;
                }
                _pending[a.Id] = a;
            }
        }
    }

    public AlertsSnapshot Snapshot()
    {
        var engine = services.GetRequiredService<AlertEngine>();
        lock (_lock) return new AlertsSnapshot(_sequence, engine.ActiveAlerts(MaxSnapshotAlerts));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("monitoring_hub_alert_pending_changes", "Changed alerts waiting for the next AlertsChanged message.", () => { lock (_lock) return _pending.Count; });
        metrics.Gauge("monitoring_hub_alert_changes_dropped_total", "Alert changes not queued for the hub because the queue was full.", () => { lock (_lock) return _dropped; });
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Realtime.CoalesceMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
        }
    }

    public Task FlushAsync()
    {
        AlertDelta delta;
        lock (_lock)
        {
            if (_pending.Count == 0) return Task.CompletedTask;
            // Newest changes first; the feed shows the newest, so those are the ones worth sending.
            var changed = _pending.Count <= MaxAlertsPerMessage
                ? [.. _pending.Values.OrderBy(a => a.Id)]
                : _pending.Values.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id).Take(MaxAlertsPerMessage).OrderBy(a => a.Id).ToList();
            delta = new AlertDelta(++_sequence, changed, Omitted: _pending.Count - changed.Count);
            _pending.Clear();
        }
        // Through the shared sender so a stalled browser never holds up the others; a message it
        // drops shows up as a sequence gap and the clients resync from a snapshot.
        sender.Send(MonitoringHubContract.OverviewGroup, MonitoringHubContract.AlertsChanged, delta with { SentAt = time.GetUtcNow() });
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcasting alert changes failed")]
    private partial void LogFailed(Exception ex);
}
