using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// The browser's copy of every service's current status. It asks the feed for a snapshot on each
/// (re)connection, then applies deltas in sequence order; a gap, or a buffer overflow while a
/// snapshot is in flight, makes it ask for a new snapshot. Components subscribe with
/// <see cref="OnChanged"/> and are called back at most once per <see cref="LiveOptions.NotifyInterval"/>.
/// </summary>
public sealed partial class ServicesStore : IServicesFeedObserver, IDisposable
{
    private readonly IServicesFeed _feed;
    private readonly LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ServicesStore> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, ServiceStatusDto> _services = [];
    // Deltas that arrive while a snapshot is in flight: the server may send sequence N+1 before
    // the reply carrying snapshot N reaches us, so they are kept and replayed after it.
    private readonly List<ServiceDelta> _pending = [];
    private readonly List<ThrottledSubscription> _subscriptions = [];
    private readonly CancellationTokenSource _disposed = new();
    private long _sequence;
    private bool _hasSnapshot;
    private bool _resyncing;
    private bool _resyncAgain;
    private bool _truncated;
    private int _started;

    public ServicesStore(IServicesFeed feed, IOptions<LiveOptions> options, TimeProvider time, ILogger<ServicesStore> logger)
    {
        _feed = feed;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public LiveConnectionState ConnectionState { get; private set; } = LiveConnectionState.Connecting;

    /// <summary>When the last snapshot or delta was applied.</summary>
    public DateTimeOffset? LastUpdatedAt { get; private set; }

    /// <summary>False until the first snapshot arrived: the page shows "connecting", not "no services".</summary>
    public bool HasSnapshot { get { lock (_lock) return _hasSnapshot; } }

    /// <summary>The sequence of the last applied snapshot or delta.</summary>
    public long Sequence { get { lock (_lock) return _sequence; } }

    public int Count { get { lock (_lock) return _services.Count; } }

    public int Capacity => _options.MaxServices;

    /// <summary>True when services were left out because <see cref="LiveOptions.MaxServices"/> was reached.</summary>
    public bool IsTruncated { get { lock (_lock) return _truncated; } }

    /// <summary>Connects the feed once; later calls do nothing, so every component may call it.</summary>
    public Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return Task.CompletedTask;
        return _feed.StartAsync(this, _disposed.Token);
    }

    /// <summary>A copy of the current services, safe to enumerate while deltas arrive.</summary>
    public IReadOnlyList<ServiceStatusDto> GetServices()
    {
        lock (_lock) return [.. _services.Values];
    }

    public bool TryGet(long id, out ServiceStatusDto? service)
    {
        lock (_lock) return _services.TryGetValue(id, out service);
    }

    /// <summary>
    /// Runs <paramref name="callback"/> after changes (data or connection state), at most once per
    /// <see cref="LiveOptions.NotifyInterval"/>. Dispose the result to stop.
    /// </summary>
    public IDisposable OnChanged(Func<Task> callback)
    {
        var subscription = new ThrottledSubscription(callback, _options.NotifyInterval, _time, _logger, Unsubscribe);
        lock (_lock) _subscriptions.Add(subscription);
        return subscription;
    }

    private void Unsubscribe(ThrottledSubscription subscription)
    {
        lock (_lock) _subscriptions.Remove(subscription);
    }

    Task IServicesFeedObserver.OnConnectionChangedAsync(LiveConnectionState state)
    {
        if (ConnectionState == state && state != LiveConnectionState.Live) return Task.CompletedTask;
        ConnectionState = state;
        NotifyChanged();
        // Anything may have changed while we were away: start over from a snapshot.
        if (state == LiveConnectionState.Live) _ = ResyncAsync();
        return Task.CompletedTask;
    }

    Task IServicesFeedObserver.OnDeltaAsync(ServiceDelta delta)
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
            // Without a snapshot there is nothing to apply a delta to; the snapshot that follows the connection includes it.
            if (!_hasSnapshot || delta.Sequence <= _sequence) return Task.CompletedTask;
            if (delta.Sequence == _sequence + 1) Apply(delta);
            else gap = true;
        }
        if (gap)
        {
            LogGap(delta.Sequence, _sequence);
            // Don't await: this runs on the hub's receive loop, which must stay free to read the reply.
            _ = ResyncAsync();
        }
        else
        {
            NotifyChanged();
        }
        return Task.CompletedTask;
    }

    /// <summary>Fetches a snapshot and replays the deltas that arrived meanwhile. Only one runs at a time.</summary>
    private async Task ResyncAsync()
    {
        lock (_lock)
        {
            if (_resyncing)
            {
                _resyncAgain = true;
                return;
            }
            _resyncing = true;
            _resyncAgain = false;
            _pending.Clear();
        }

        while (!_disposed.IsCancellationRequested)
        {
            ServicesSnapshot snapshot;
            try
            {
                snapshot = await _feed.GetSnapshotAsync(_disposed.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_disposed.IsCancellationRequested)
            {
                LogSnapshotFailed(ex);
                if (ConnectionState != LiveConnectionState.Live)
                {
                    // The reconnection that follows asks again.
                    lock (_lock) _resyncing = false;
                    return;
                }
                try { await Task.Delay(_options.SnapshotRetryDelay, _time, _disposed.Token); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool done;
            lock (_lock)
            {
                ApplySnapshot(snapshot);
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
                if (done) _resyncing = false;
            }
            NotifyChanged();
            if (done) return;
        }
        lock (_lock) _resyncing = false;
    }

    // Callers hold _lock.
    private void ApplySnapshot(ServicesSnapshot snapshot)
    {
        _services.Clear();
        _truncated = false;
        foreach (var service in snapshot.Services) Upsert(service);
        _sequence = snapshot.Sequence;
        _hasSnapshot = true;
        LastUpdatedAt = _time.GetUtcNow();
    }

    // Callers hold _lock.
    private void Apply(ServiceDelta delta)
    {
        foreach (var id in delta.Removed) _services.Remove(id);
        foreach (var service in delta.Changed) Upsert(service);
        _sequence = delta.Sequence;
        LastUpdatedAt = _time.GetUtcNow();
    }

    private void Upsert(ServiceStatusDto service)
    {
        if (_services.Count < _options.MaxServices || _services.ContainsKey(service.Id)) _services[service.Id] = service;
        else _truncated = true;
    }

    private void NotifyChanged()
    {
        ThrottledSubscription[] subscriptions;
        lock (_lock) subscriptions = [.. _subscriptions];
        foreach (var subscription in subscriptions) subscription.Signal();
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        ThrottledSubscription[] subscriptions;
        lock (_lock) subscriptions = [.. _subscriptions];
        foreach (var subscription in subscriptions) subscription.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delta {Received} does not follow {Applied}; fetching a new snapshot")]
    private partial void LogGap(long received, long applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the services snapshot failed")]
    private partial void LogSnapshotFailed(Exception ex);
}
