using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;

namespace Monitoring.Web.Realtime;

/// <summary>One durable event of the live stream; <see cref="Seq"/> is its row id in <c>stream_events</c>.</summary>
public sealed record StreamEvent(long Seq, string Topic, string Type, long AtMs, string PayloadJson);

public static class StreamTopics
{
    public const string Alerts = "alerts";
    public const string Incidents = "incidents";
    public const string Status = "status";
    public static readonly string[] All = [Alerts, Incidents, Status];
}

/// <summary>
/// Fans committed stream events out to SSE subscribers. Each subscriber has its own bounded
/// channel; one that falls behind by more than its capacity is dropped (its stream ends and the
/// client resumes from the store with Last-Event-ID), so a slow client never holds up the writer.
/// </summary>
public sealed class StreamBroadcaster
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly StreamOptions _options;
    private long _published;
    private long _dropped;

    public StreamBroadcaster(IOptions<MonitoringOptions> options, AppMetrics metrics)
    {
        _options = options.Value.Stream;
        metrics.Gauge("monitoring_stream_clients", "Server-Sent Events clients connected.", () => { lock (_lock) return _subscribers.Count; });
        metrics.Gauge("monitoring_stream_events_published", "Stream events fanned out since start.", () => Interlocked.Read(ref _published));
        metrics.Gauge("monitoring_stream_clients_dropped", "SSE clients dropped for falling behind since start.", () => Interlocked.Read(ref _dropped));
    }

    /// <summary>Null when the server already holds its maximum of streams.</summary>
    public Subscription? Subscribe(IReadOnlySet<string> topics)
    {
        lock (_lock)
        {
            if (_subscribers.Count >= _options.MaxClients) return null;
            var sub = new Subscription(this, topics, _options.ClientBufferSize);
            _subscribers.Add(sub);
            return sub;
        }
    }

    public void Publish(IReadOnlyList<StreamEvent> events)
    {
        if (events.Count == 0) return;
        Subscription[] subscribers;
        lock (_lock) subscribers = [.. _subscribers];
        foreach (var sub in subscribers)
        {
            foreach (var e in events)
            {
                if (!sub.Topics.Contains(e.Topic)) continue;
                if (!sub.Writer.TryWrite(e))
                {
                    Interlocked.Increment(ref _dropped);
                    sub.Overflow();
                    break;
                }
            }
        }
        Interlocked.Add(ref _published, events.Count);
    }

    private void Remove(Subscription sub)
    {
        lock (_lock) _subscribers.Remove(sub);
    }

    public sealed class Subscription : IDisposable
    {
        private readonly StreamBroadcaster _owner;
        private readonly Channel<StreamEvent> _channel;

        internal Subscription(StreamBroadcaster owner, IReadOnlySet<string> topics, int capacity)
        {
            _owner = owner;
            Topics = topics;
            _channel = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: we drop the subscriber instead
                AllowSynchronousContinuations = false,
            });
        }

        public IReadOnlySet<string> Topics { get; }
        internal ChannelWriter<StreamEvent> Writer => _channel.Writer;
        public ChannelReader<StreamEvent> Reader => _channel.Reader;
        public bool Overflowed { get; private set; }

        internal void Overflow()
        {
            Overflowed = true;
            _channel.Writer.TryComplete();
        }

        public void Dispose()
        {
            _channel.Writer.TryComplete();
            _owner.Remove(this);
        }
    }
}

public sealed class StreamOptions
{
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int MaxClients { get; set; } = 1_000;

    /// <summary>Events buffered per client before it counts as too slow and is dropped.</summary>
    [System.ComponentModel.DataAnnotations.Range(16, 1_000_000)]
    public int ClientBufferSize { get; set; } = 2_000;

    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Most events replayed for one Last-Event-ID; an older id gets an explicit reset event.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int MaxReplay { get; set; } = 10_000;

    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int RetentionDays { get; set; } = 7;
}
