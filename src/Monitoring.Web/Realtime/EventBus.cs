using System.Threading.Channels;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;
using Monitoring.Web.Metrics;

namespace Monitoring.Web.Realtime;

/// <summary>Something that was committed to the store, told to in-process subscribers (alert engine, …).</summary>
public abstract record BusEvent;

/// <summary>Check results of one writer batch, after commit. <c>Previous</c> is the status before this result.</summary>
public sealed record CheckResultsCommitted(IReadOnlyList<CommittedCheck> Results) : BusEvent;

public sealed record CommittedCheck(ServiceDefinition Service, CheckResult Result, ServiceStatus Previous, long? OpenIncidentId);

/// <summary>Samples of one writer batch, after commit (series id, Unix ms, value). Readers must not modify the array.</summary>
public sealed record SamplesCommitted((long SeriesId, long Ts, double Value)[] Samples) : BusEvent;

/// <summary>
/// The in-process event bus. Each subscriber reads its own bounded channel; when a subscriber is
/// full the event is dropped for it and counted (<c>monitoring_bus_dropped_total</c>), so a slow
/// subscriber never blocks a writer. Subscribers that must not miss anything re-read the store
/// (the alert engine also evaluates on a tick).
/// </summary>
public sealed class EventBus
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly AppMetrics _metrics;

    public EventBus(AppMetrics metrics)
    {
        _metrics = metrics;
        metrics.Gauge("monitoring_bus_subscribers", "In-process event bus subscribers.", () => { lock (_lock) return _subscribers.Count; });
        metrics.Gauge("monitoring_bus_queue_depth", "Events waiting in event bus subscriber queues.", () =>
        {
            lock (_lock) return _subscribers.Sum(s => s.Reader.Count);
        });
        metrics.Gauge("monitoring_bus_dropped_total", "Events dropped because a subscriber's queue was full.", () =>
        {
            lock (_lock) return _subscribers.Sum(s => Interlocked.Read(ref s.DroppedCount));
        });
    }

    public Subscription Subscribe(string name, int capacity = 4096)
    {
        var sub = new Subscription(this, name, capacity);
        lock (_lock) _subscribers.Add(sub);
        return sub;
    }

    public void Publish(BusEvent e)
    {
        Subscription[] subs;
        lock (_lock) subs = [.. _subscribers];
        foreach (var s in subs)
        {
            if (!s.Writer.TryWrite(e)) Interlocked.Increment(ref s.DroppedCount);
        }
    }

    private void Remove(Subscription s)
    {
        lock (_lock) _subscribers.Remove(s);
    }

    public sealed class Subscription : IDisposable
    {
        private readonly EventBus _owner;
        private readonly Channel<BusEvent> _channel;
        internal long DroppedCount;

        internal Subscription(EventBus owner, string name, int capacity)
        {
            _owner = owner;
            Name = name;
            _channel = Channel.CreateBounded<BusEvent>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; the bus counts the drop
            });
        }

        public string Name { get; }
        public ChannelReader<BusEvent> Reader => _channel.Reader;
        internal ChannelWriter<BusEvent> Writer => _channel.Writer;
        public long Dropped => Interlocked.Read(ref DroppedCount);

        public void Dispose()
        {
            _channel.Writer.TryComplete();
            _owner.Remove(this);
        }
    }
}
