using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Hosting;
using Monitoring.Web.Realtime;

namespace Monitoring.Web.Metrics;

/// <summary>
/// Sends the newest value of each series that received samples to its <c>metric:{name}</c> group
/// (see <see cref="MetricFanout"/>) at most every <c>Monitoring:Realtime:CoalesceMs</c>: a flood of
/// samples becomes a few messages a second per watched name.
/// </summary>
public sealed partial class MetricsBroadcaster(
    MetricFanout fanout,
    MetricsLiveFeed feed,
    MetricSeriesCatalog catalog,
    AppMetrics metrics,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<MetricsBroadcaster> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("monitoring_metric_live_pending_series", "Series waiting for the next live metrics update.", () => feed.PendingCount);
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

    public async Task FlushAsync()
    {
        var latest = feed.Take();
        if (latest.Count == 0) return;
        var points = new List<MetricPoint>(latest.Count);
        foreach (var (id, (ts, value)) in latest)
        {
            if (!catalog.TryGet(id, out var s)) continue;
            points.Add(new MetricPoint(id, s.Name, s.Type.ToApi(), s.Service, s.LabelsDictionary(), DateTimeOffset.FromUnixTimeMilliseconds(ts), value));
        }
        fanout.Publish(points);
        await Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcasting metric changes failed")]
    private partial void LogFailed(Exception ex);
}
