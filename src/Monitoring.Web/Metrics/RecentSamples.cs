using Microsoft.Extensions.Options;
using Monitoring.Core.Collections;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The newest committed samples (capacity <c>Monitoring:Metrics:RecentCapacity</c>) for
/// <c>/api/v1/metrics/recent</c>: "what just arrived" without a time index on the samples table.
/// Empty after a restart until new samples arrive.
/// </summary>
public sealed class RecentSamples(IOptions<MonitoringOptions> options)
{
    private readonly RollingWindow<(long SeriesId, long Ts, double Value)> _window = new(options.Value.Metrics.RecentCapacity);
    private readonly Lock _lock = new();

    public void Add(ReadOnlySpan<(long SeriesId, long Ts, double Value)> samples)
    {
        // Only the tail can survive in the window.
        if (samples.Length > _window.Capacity) samples = samples[^_window.Capacity..];
        lock (_lock)
        {
            foreach (var s in samples) _window.Add(s);
        }
    }

    /// <summary>Newest first (in commit order).</summary>
    public List<(long SeriesId, long Ts, double Value)> Newest(int count)
    {
        lock (_lock)
        {
            var n = Math.Min(count, _window.Count);
            var list = new List<(long, long, double)>(n);
            for (var i = _window.Count - 1; i >= _window.Count - n; i--) list.Add(_window[i]);
            return list;
        }
    }
}
