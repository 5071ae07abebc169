using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The latest value per series since the last live update, capacity-bounded
/// (<c>Monitoring:Metrics:LiveMaxSeries</c>): once full, further series wait for the next
/// interval (counted in <c>monitoring_metric_live_dropped_total</c>); known series still update.
/// </summary>
public sealed class MetricsLiveFeed(IOptions<MonitoringOptions> options, AppMetrics metrics)
{
    private readonly int _capacity = options.Value.Metrics.LiveMaxSeries;
    private readonly Lock _lock = new();
    private Dictionary<long, (long Ts, double Value)> _latest = [];

    public int PendingCount
    {
        get { lock (_lock) return _latest.Count; }
    }

    public void Offer(ReadOnlySpan<(long SeriesId, long Ts, double Value)> samples)
    {
        var dropped = false;
        lock (_lock)
        {
            foreach (var (id, ts, value) in samples)
            {
                if (_latest.TryGetValue(id, out var current))
                {
                    if (ts >= current.Ts) _latest[id] = (ts, value);
                }
                else if (_latest.Count < _capacity) _latest[id] = (ts, value);
                else dropped = true;
            }
        }
        if (dropped) metrics.LiveSeriesDropped();
    }

    /// <summary>Takes the pending values and starts a new interval.</summary>
    public Dictionary<long, (long Ts, double Value)> Take()
    {
        lock (_lock)
        {
            var taken = _latest;
            _latest = new Dictionary<long, (long, double)>(Math.Min(taken.Count, _capacity));
            return taken;
        }
    }
}
