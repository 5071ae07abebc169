using Microsoft.Extensions.Logging;

namespace Monitoring.Client.Live;

/// <summary>The throttled change callbacks of one store (see <see cref="ThrottledSubscription"/>).</summary>
internal sealed class StoreSubscriptions(TimeSpan interval, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ThrottledSubscription> _subscriptions = [];

    /// <param name="callback">Runs after changes, at most once per interval.</param>
    /// <param name="minInterval">A longer interval for this subscriber (a costly render); never shorter than the store's.</param>
    public IDisposable Add(Func<Task> callback, TimeSpan? minInterval = null)
    {
        var every = minInterval is { } m && m > interval ? m : interval;
        var subscription = new ThrottledSubscription(callback, every, time, logger, Remove);
        lock (_lock) _subscriptions.Add(subscription);
        return subscription;
    }

    public void Signal()
    {
        ThrottledSubscription[] all;
        lock (_lock) all = [.. _subscriptions];
        foreach (var s in all) s.Signal();
    }

    private void Remove(ThrottledSubscription subscription)
    {
        lock (_lock) _subscriptions.Remove(subscription);
    }

    public void Dispose()
    {
        ThrottledSubscription[] all;
        lock (_lock) all = [.. _subscriptions];
        foreach (var s in all) s.Dispose();
    }
}
