using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Core.Collections;
using Monitoring.Core.Metrics;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>Rolling figures of one series over the newest <see cref="Samples"/> values.</summary>
public sealed record SeriesStats(
    string Key,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    double Current,
    double Average,
    double Min,
    double Max,
    int Samples,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<(DateTimeOffset At, double Value)> Points);

/// <summary>
/// Per metric series, a <see cref="RollingWindow{T}"/> (the same Core type the server uses) of the
/// newest values that arrived over the hub, giving current, average, min, max and samples.
/// Components <see cref="WatchAsync"/> a metric name (the store joins its <c>metric:{name}</c>
/// group, counted per watcher) and read <see cref="GetSeries"/>.
/// </summary>
public sealed partial class StatsStore : ILiveFeedObserver, IDisposable
{
    private readonly ILiveFeed _feed;
    private readonly LiveOptions _options;
    private readonly ILogger<StatsStore> _logger;
    private readonly StoreSubscriptions _subscriptions;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _watchers = new(StringComparer.Ordinal);
    private int _started;

    private sealed class Series(string key, MetricPoint first, int capacity)
    {
        public string Key { get; } = key;
        public string Name { get; } = first.Name;
        public IReadOnlyDictionary<string, string> Labels { get; } = first.Labels;
        public RollingWindow<(DateTimeOffset At, double Value)> Window { get; } = new(capacity);
    }

    public StatsStore(ILiveFeed feed, IOptions<LiveOptions> options, TimeProvider time, ILogger<StatsStore> logger)
    {
        _feed = feed;
        _options = options.Value;
        _logger = logger;
        _subscriptions = new StoreSubscriptions(_options.NotifyInterval, time, logger);
    }

    public IDisposable OnChanged(Func<Task> callback) => _subscriptions.Add(callback);

    public int SeriesCount { get { lock (_lock) return _series.Count; } }

    /// <summary>Starts receiving <paramref name="name"/>'s values (joins its hub group on the first watcher).</summary>
    public async Task WatchAsync(string name)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _feed.Subscribe(this);
            await _feed.EnsureStartedAsync();
        }
        lock (_lock)
        {
            var n = _watchers.GetValueOrDefault(name);
            _watchers[name] = n + 1;
            if (n > 0) return;
        }
        try { await _feed.JoinMetricAsync(name, CancellationToken.None); }
        catch (Exception ex) { LogJoinFailed(ex, name); }
    }

    /// <summary>Stops one watcher; the last one leaves the group and forgets the series.</summary>
    public async Task UnwatchAsync(string name)
    {
        lock (_lock)
        {
            if (!_watchers.TryGetValue(name, out var n)) return;
            if (n > 1) { _watchers[name] = n - 1; return; }
            _watchers.Remove(name);
            foreach (var key in _series.Where(s => s.Value.Name == name).Select(s => s.Key).ToList()) _series.Remove(key);
        }
        try { await _feed.LeaveMetricAsync(name, CancellationToken.None); }
        catch (Exception ex) { LogJoinFailed(ex, name); }
    }

    /// <summary>Every series of <paramref name="name"/> (one per label set), by key.</summary>
    public IReadOnlyList<SeriesStats> GetSeries(string name)
    {
        lock (_lock) return [.. _series.Values.Where(s => s.Name == name).OrderBy(s => s.Key, StringComparer.Ordinal).Select(Stats)];
    }

    public SeriesStats? Get(string key)
    {
        lock (_lock) return _series.TryGetValue(key, out var s) ? Stats(s) : null;
    }

    public static string KeyOf(string name, IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? name : name + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";

    Task ILiveFeedObserver.OnMetricsDeltaAsync(MetricsDelta delta)
    {
        var changed = false;
        lock (_lock)
        {
            foreach (var point in delta.Points)
            {
                if (!_watchers.ContainsKey(point.Name)) continue;
                var key = KeyOf(point.Name, point.Labels);
                if (!_series.TryGetValue(key, out var series))
                {
                    if (_series.Count >= _options.MaxSeries) continue;
                    _series[key] = series = new Series(key, point, _options.MetricWindow);
                }
                // The same newest value arrives again after a resend; only newer ones count.
                if (series.Window.Count > 0 && series.Window[series.Window.Count - 1].At >= point.Timestamp) continue;
                series.Window.Add((point.Timestamp, point.Value));
                changed = true;
            }
        }
        if (changed) _subscriptions.Signal();
        return Task.CompletedTask;
    }

    // Callers hold _lock.
    private static SeriesStats Stats(Series s)
    {
        var w = s.Window;
        double sum = 0, min = double.MaxValue, max = double.MinValue;
        var points = new List<(DateTimeOffset, double)>(w.Count);
        for (var i = 0; i < w.Count; i++)
        {
            var (at, v) = w[i];
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            points.Add((at, v));
        }
        return w.Count == 0
            ? new SeriesStats(s.Key, s.Name, s.Labels, double.NaN, double.NaN, double.NaN, double.NaN, 0, DateTimeOffset.MinValue, points)
            : new SeriesStats(s.Key, s.Name, s.Labels, w[w.Count - 1].Value, sum / w.Count, min, max, w.Count, w[w.Count - 1].At, points);
    }

    public void Dispose() => _subscriptions.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changing the live group of metric {Name} failed")]
    private partial void LogJoinFailed(Exception ex, string name);
}
