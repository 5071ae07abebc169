using Microsoft.Extensions.Logging;

namespace Monitoring.Client.Live;

/// <summary>
/// One component's interest in a store. However often the store signals, the callback runs at
/// most once per interval: the first signal after a quiet period runs at once, later ones within
/// the interval fold into a single trailing run that sees the latest state.
/// </summary>
internal sealed class ThrottledSubscription : IDisposable
{
    private readonly Func<Task> _callback;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ThrottledSubscription> _unsubscribe;
    private readonly CancellationTokenSource _disposed = new();
    private int _scheduled;
    private long _lastRunTimestamp;
    private bool _hasRun;

    public ThrottledSubscription(Func<Task> callback, TimeSpan interval, TimeProvider time, ILogger logger, Action<ThrottledSubscription> unsubscribe)
    {
        _callback = callback;
        _interval = interval;
        _time = time;
        _logger = logger;
        _unsubscribe = unsubscribe;
    }

    public void Signal()
    {
        if (_disposed.IsCancellationRequested) return;
        // A run is already coming and will read the newest state: nothing more to do.
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            // Execute off the signalling thread: the hub's receive loop doesn't wait for renders.
            await Task.Yield();
            if (_hasRun && _time.GetElapsedTime(Volatile.Read(ref _lastRunTimestamp)) is var since && since < _interval)
                await Task.Delay(_interval - since, _time, _disposed.Token);
            Volatile.Write(ref _lastRunTimestamp, _time.GetTimestamp());
            _hasRun = true;
            // Signals from here on schedule the next run; the state this run reads already includes earlier ones.
            Volatile.Write(ref _scheduled, 0);
            await _callback();
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "A store subscriber failed");
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        _unsubscribe(this);
    }
}
