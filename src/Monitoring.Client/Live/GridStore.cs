using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// Keeps the overview grid (held by an <see cref="IGridView"/>) in step with the overview group:
/// a snapshot on each (re)connection, then <see cref="GridDelta"/>s in sequence order; a gap, or
/// too many deltas while a snapshot is in flight, makes it load a new snapshot. The tiles never
/// pass through .NET: a delta goes to the view as a few parallel arrays, and nothing re-renders.
/// </summary>
public sealed partial class GridStore : ILiveFeedObserver, IDisposable
{
    private readonly ILiveFeed _feed;
    private readonly IGridView _view;
    private readonly LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GridStore> _logger;
    private readonly StoreSubscriptions _subscriptions;
    private readonly Lock _lock = new();
    // Deltas that arrive while a snapshot is in flight, replayed after it (bounded).
    private readonly List<GridDelta> _pending = [];
    private readonly CancellationTokenSource _disposed = new();
    private long _sequence;
    private bool _hasSnapshot;
    private bool _resyncing;
    private bool _resyncAgain;
    private bool _loadedOnce;
    private volatile bool _live;
    private int _started;

    public GridStore(ILiveFeed feed, IGridView view, IOptions<LiveOptions> options, TimeProvider time, ILogger<GridStore> logger)
    {
        _feed = feed;
        _view = view;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _subscriptions = new StoreSubscriptions(_options.NotifyInterval, time, logger);
    }

    /// <summary>The sequence of the last applied snapshot or delta.</summary>
    public long Sequence { get { lock (_lock) return _sequence; } }

    public bool HasSnapshot { get { lock (_lock) return _hasSnapshot; } }

    /// <summary>Snapshots loaded so far (the first may be the one painted before the app started).</summary>
    public int SnapshotsLoaded { get; private set; }

    /// <summary>Subscribes to the feed once; later calls do nothing.</summary>
    public Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return Task.CompletedTask;
        _feed.Subscribe(this);
        return _feed.EnsureStartedAsync();
    }

    /// <summary>Runs <paramref name="callback"/> after a snapshot or delta was applied (throttled). Dispose to stop.</summary>
    public IDisposable OnChanged(Func<Task> callback) => _subscriptions.Add(callback);

    Task ILiveFeedObserver.OnConnectionChangedAsync(LiveConnectionState state)
    {
        _live = state == LiveConnectionState.Live;
        // Anything may have changed while we were away: start over from a snapshot.
        if (_live) _ = ResyncAsync();
        return Task.CompletedTask;
    }

    async Task ILiveFeedObserver.OnGridDeltaAsync(GridDelta delta)
    {
        bool apply = false, gap = false;
        lock (_lock)
        {
            if (_resyncing)
            {
                if (_pending.Count < _options.MaxPendingDeltas) _pending.Add(delta);
                else _resyncAgain = true;
                return;
            }
            // Without a snapshot there is nothing to apply to; the snapshot that follows the connection includes it.
            if (!_hasSnapshot || delta.Sequence <= _sequence) return;
            if (delta.Sequence == _sequence + 1) { _sequence = delta.Sequence; apply = true; }
            else gap = true;
        }
        if (gap)
        {
            LogGap(delta.Sequence, Sequence);
            // Not awaited: this runs on the hub's receive loop.
            _ = ResyncAsync();
            return;
        }
        if (apply)
        {
            // Awaited on the receive loop, so deltas reach the view in order.
            await _view.ApplyAsync(delta, _disposed.Token);
            _subscriptions.Signal();
        }
    }

    /// <summary>Loads a snapshot and replays the deltas that arrived meanwhile. Only one runs at a time.</summary>
    private async Task ResyncAsync()
    {
        lock (_lock)
        {
            if (_resyncing) { _resyncAgain = true; return; }
            _resyncing = true;
            _resyncAgain = false;
            _pending.Clear();
        }
        var handedOver = false;
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                long sequence;
                try
                {
                    // The first load may keep the grid painted before the app started; after that,
                    // a resync means the held grid is out of step, so it is fetched again.
                    sequence = await _view.LoadAsync(force: _loadedOnce, _disposed.Token);
                }
                catch (Exception ex) when (!_disposed.IsCancellationRequested)
                {
                    LogSnapshotFailed(ex);
                    _loadedOnce = true;
                    // The reconnection that follows loads again.
                    if (!_live) return;
                    try { await Task.Delay(_options.SnapshotRetryDelay, _time, _disposed.Token); }
                    catch (OperationCanceledException) { return; }
                    continue;
                }
                _loadedOnce = true;
                SnapshotsLoaded++;
                lock (_lock)
                {
                    _sequence = sequence;
                    _hasSnapshot = true;
                }
                _subscriptions.Signal();
                if (await ReplayPendingAsync()) { handedOver = true; return; }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        finally
        {
            // ReplayPendingAsync clears the flag itself when it hands over; don't clear a newer resync's.
            if (!handedOver) lock (_lock) _resyncing = false;
        }
    }

    /// <summary>Applies pending deltas in order until none is left; false when they don't follow on (load again).</summary>
    private async Task<bool> ReplayPendingAsync()
    {
        while (true)
        {
            List<GridDelta> batch = [];
            lock (_lock)
            {
                if (_resyncAgain) { _resyncAgain = false; _pending.Clear(); return false; }
                foreach (var delta in _pending.OrderBy(d => d.Sequence))
                {
                    if (delta.Sequence <= _sequence) continue;
                    if (delta.Sequence != _sequence + 1) { _pending.Clear(); return false; }
                    _sequence = delta.Sequence;
                    batch.Add(delta);
                }
                _pending.Clear();
                // Done: from here on deltas are applied as they come. Still under the lock, so none slips between.
                if (batch.Count == 0) { _resyncing = false; return true; }
            }
            foreach (var delta in batch) await _view.ApplyAsync(delta, _disposed.Token);
            _subscriptions.Signal();
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        _subscriptions.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid delta {Received} does not follow {Applied}; loading a new snapshot")]
    private partial void LogGap(long received, long applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the grid snapshot failed")]
    private partial void LogSnapshotFailed(Exception ex);
}
