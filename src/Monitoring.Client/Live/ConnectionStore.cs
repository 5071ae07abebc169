using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Monitoring.Client.Live;

/// <summary>
/// How the tab's live connection stands (<see cref="LiveConnectionState"/>) and when the last
/// message of any kind arrived, for "Live · updated 3 s ago" and stale warnings. Subscribers hear
/// every state change, but messages only every <see cref="LiveOptions.FreshnessInterval"/>.
/// </summary>
public sealed class ConnectionStore : ILiveFeedObserver, IDisposable
{
    private readonly ILiveFeed _feed;
    private readonly TimeProvider _time;
    private readonly StoreSubscriptions _subscriptions;
    private int _started;
    private long _lastMessageTicks;
    private long _signalledTicks;
    private readonly TimeSpan _freshness;

    public ConnectionStore(ILiveFeed feed, IOptions<LiveOptions> options, TimeProvider time, ILogger<ConnectionStore> logger)
    {
        _feed = feed;
        _time = time;
        _subscriptions = new StoreSubscriptions(options.Value.NotifyInterval, time, logger);
        _freshness = options.Value.FreshnessInterval;
    }

    public LiveConnectionState State { get; private set; } = LiveConnectionState.Connecting;

    /// <summary>When the last message (delta of any kind) arrived; null before the first.</summary>
    public DateTimeOffset? LastMessageAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastMessageTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>When the connection last became live.</summary>
    public DateTimeOffset? ConnectedAt { get; private set; }

    public bool IsLive => State == LiveConnectionState.Live;

    public Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return Task.CompletedTask;
        _feed.Subscribe(this);
        return _feed.EnsureStartedAsync();
    }

    public IDisposable OnChanged(Func<Task> callback) => _subscriptions.Add(callback);

    Task ILiveFeedObserver.OnConnectionChangedAsync(LiveConnectionState state)
    {
        State = state;
        if (state == LiveConnectionState.Live) ConnectedAt = _time.GetUtcNow();
        _subscriptions.Signal();
        return Task.CompletedTask;
    }

    void ILiveFeedObserver.OnMessage()
    {
        // "Last update 3 s ago" needs no re-render per message: with deltas several times a second
        // that re-rendered the page and the app bar for nothing. Signal on the first message and then
        // when the shown time is at least FreshnessInterval old; the pages' own clocks cover the rest.
        var now = _time.GetUtcNow().UtcTicks;
        var previous = Interlocked.Exchange(ref _lastMessageTicks, now);
        if (previous == 0 || now - Interlocked.Read(ref _signalledTicks) >= _freshness.Ticks)
        {
            Interlocked.Exchange(ref _signalledTicks, now);
            _subscriptions.Signal();
        }
    }

    public void Dispose() => _subscriptions.Dispose();
}
