using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Core.Alerts;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// The live alert feed: alerts newest first (by last change), at most <see cref="LiveOptions.MaxAlerts"/>.
/// Like <see cref="ServicesStore"/> it takes a snapshot on each (re)connection and applies
/// <c>AlertsChanged</c> deltas in sequence order; a gap asks for a new snapshot. Dismissing hides
/// an alert in this tab until it changes again; clearing hides everything shown now.
/// If the server has no alerts snapshot (an older server), deltas are applied as they come.
/// A delta that says the server left changes out (<see cref="AlertDelta.Omitted"/>, a flapping fleet)
/// is applied and a snapshot follows, at most every <see cref="LiveOptions.TruncatedResyncInterval"/>.
/// </summary>
public sealed partial class AlertStore : ILiveFeedObserver, IDisposable
{
    private readonly ILiveFeed _feed;
    private readonly LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertStore> _logger;
    private readonly StoreSubscriptions _subscriptions;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<long, AlertDto> _alerts = [];
    // Dismissed alert id → the UpdatedAt it had; a later change shows it again. Bounded by _alerts' ids.
    private readonly Dictionary<long, DateTimeOffset> _dismissed = [];
    private readonly List<AlertDelta> _pending = [];
    private long _sequence;
    private bool _hasSnapshot;
    private bool _resyncing;
    private bool _resyncAgain;
    private bool _truncatedResyncScheduled;
    private long _lastSnapshotTimestamp;
    private int _started;

    public AlertStore(ILiveFeed feed, IOptions<LiveOptions> options, TimeProvider time, ILogger<AlertStore> logger)
    {
        _feed = feed;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _subscriptions = new StoreSubscriptions(_options.NotifyInterval, time, logger);
    }

    /// <summary>False while the server could not give a snapshot (not yet connected, or it lacks alerts).</summary>
    public bool HasSnapshot { get { lock (_lock) return _hasSnapshot; } }

    /// <summary>True when the last snapshot request failed while connected (the server may not serve alerts yet).</summary>
    public bool IsUnavailable { get; private set; }

    public long Sequence { get { lock (_lock) return _sequence; } }

    public DateTimeOffset? LastUpdatedAt { get; private set; }

    public Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return Task.CompletedTask;
        _feed.Subscribe(this);
        return _feed.EnsureStartedAsync();
    }

    public IDisposable OnChanged(Func<Task> callback) => _subscriptions.Add(callback);

    /// <summary>Like <see cref="OnChanged(Func{Task})"/>, but the callback runs at most once per <paramref name="minInterval"/>.</summary>
    public IDisposable OnChanged(Func<Task> callback, TimeSpan minInterval) => _subscriptions.Add(callback, minInterval);

    /// <summary>Visible alerts, newest change first.</summary>
    public IReadOnlyList<AlertDto> GetAlerts()
    {
        lock (_lock) return [.. Visible().OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id)];
    }

    /// <summary>Visible firing critical alerts: the badge number.</summary>
    public int CriticalCount
    {
        get { lock (_lock) return Visible().Count(a => a.State == "firing" && a.Severity == "critical"); }
    }

    public int Count { get { lock (_lock) return Visible().Count(); } }

    public void Dismiss(long id)
    {
        lock (_lock)
        {
            if (!_alerts.TryGetValue(id, out var alert)) return;
            _dismissed[id] = alert.UpdatedAt;
        }
        _subscriptions.Signal();
    }

    public void Clear()
    {
        lock (_lock)
        {
            foreach (var a in _alerts.Values) _dismissed[a.Id] = a.UpdatedAt;
        }
        _subscriptions.Signal();
    }

    // Callers hold _lock.
    private IEnumerable<AlertDto> Visible() =>
        _alerts.Values.Where(a => !_dismissed.TryGetValue(a.Id, out var at) || a.UpdatedAt > at);

    Task ILiveFeedObserver.OnConnectionChangedAsync(LiveConnectionState state)
    {
        if (state == LiveConnectionState.Live) _ = ResyncAsync();
        return Task.CompletedTask;
    }

    Task ILiveFeedObserver.OnAlertsDeltaAsync(AlertDelta delta)
    {
        var gap = false;
        lock (_lock)
        {
            if (_resyncing)
            {
                if (_pending.Count < _options.MaxPendingDeltas) _pending.Add(delta);
                else _resyncAgain = true;
                return Task.CompletedTask;
            }
            if (!_hasSnapshot)
            {
                // No snapshot to follow: show what arrives rather than nothing.
                if (IsUnavailable) { ApplyChanges(delta.Changed); _sequence = delta.Sequence; }
            }
            else if (delta.Sequence <= _sequence) return Task.CompletedTask;
            else if (delta.Sequence == _sequence + 1)
            {
                Apply(delta);
                // The server left older changes out: what this store holds may be stale. Take a
                // snapshot, but not more often than TruncatedResyncInterval.
                if (delta.Omitted > 0 && !_truncatedResyncScheduled)
                {
                    _truncatedResyncScheduled = true;
                    _ = ResyncAfterTruncationAsync();
                }
            }
            else gap = true;
        }
        if (gap)
        {
            LogGap(delta.Sequence, _sequence);
            _ = ResyncAsync();
        }
        else
        {
            _subscriptions.Signal();
        }
        return Task.CompletedTask;
    }

    private async Task ResyncAfterTruncationAsync()
    {
        try
        {
            var since = _time.GetElapsedTime(Interlocked.Read(ref _lastSnapshotTimestamp));
            var wait = _options.TruncatedResyncInterval - since;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, _disposed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            lock (_lock) _truncatedResyncScheduled = false;
        }
        await ResyncAsync().ConfigureAwait(false);
    }

    private async Task ResyncAsync()
    {
        lock (_lock)
        {
            if (_resyncing) { _resyncAgain = true; return; }
            _resyncing = true;
            _resyncAgain = false;
            _pending.Clear();
        }
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                AlertsSnapshot snapshot;
                try
                {
                    snapshot = await _feed.GetAlertsSnapshotAsync(_disposed.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // The hub may not offer alerts yet: keep the feed usable with the deltas that come,
                    // and ask again on the next reconnection rather than hammering the server.
                    LogSnapshotFailed(ex);
                    lock (_lock) { _hasSnapshot = false; IsUnavailable = true; }
                    _subscriptions.Signal();
                    return;
                }

                bool done;
                lock (_lock)
                {
                    IsUnavailable = false;
                    Interlocked.Exchange(ref _lastSnapshotTimestamp, _time.GetTimestamp());
                    _alerts.Clear();
                    ApplyChanges(snapshot.Alerts);
                    _sequence = snapshot.Sequence;
                    _hasSnapshot = true;
                    var consistent = true;
                    foreach (var delta in _pending.OrderBy(d => d.Sequence))
                    {
                        if (delta.Sequence <= _sequence) continue;
                        if (delta.Sequence != _sequence + 1) { consistent = false; break; }
                        Apply(delta);
                    }
                    _pending.Clear();
                    done = consistent && !_resyncAgain;
                    _resyncAgain = false;
                    LastUpdatedAt = _time.GetUtcNow();
                }
                _subscriptions.Signal();
                if (done) return;
            }
        }
        finally
        {
            lock (_lock) _resyncing = false;
        }
    }

    // Callers hold _lock.
    private void Apply(AlertDelta delta)
    {
        ApplyChanges(delta.Changed);
        _sequence = delta.Sequence;
        LastUpdatedAt = _time.GetUtcNow();
    }

    // Callers hold _lock. Resolved alerts stay in the feed (as resolved) until the cap pushes them out.
    private void ApplyChanges(IEnumerable<AlertDto> changed)
    {
        foreach (var alert in changed) _alerts[alert.Id] = alert;
        var over = _alerts.Count - _options.MaxAlerts;
        if (over <= 0) return;
        // Oldest resolved first, then oldest of any state.
        foreach (var old in _alerts.Values.OrderBy(a => a.State == "resolved" ? 0 : 1).ThenBy(a => a.UpdatedAt).Take(over).ToList())
        {
            _alerts.Remove(old.Id);
            _dismissed.Remove(old.Id);
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        _subscriptions.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert delta {Received} does not follow {Applied}; fetching a new snapshot")]
    private partial void LogGap(long received, long applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the alerts snapshot failed; showing alert changes as they arrive")]
    private partial void LogSnapshotFailed(Exception ex);
}
