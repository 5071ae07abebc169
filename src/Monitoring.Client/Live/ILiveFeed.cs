using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// Everything on the hub connection besides the services snapshot: alerts, metric groups and the
/// connection's ups and downs. The hub in the browser (<see cref="HubServicesFeed"/>), a fake in tests.
/// </summary>
public interface ILiveFeed
{
    /// <summary>Adds an observer; it hears connection changes and deltas from then on.</summary>
    void Subscribe(ILiveFeedObserver observer);

    /// <summary>Starts the connection if nobody has yet (returns at once; connecting runs in the background).</summary>
    Task EnsureStartedAsync();

    /// <summary>The active alerts and the sequence the next <c>AlertsChanged</c> follows; throws while the server lacks the method.</summary>
    Task<AlertsSnapshot> GetAlertsSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Joins <c>metric:{name}</c>; the feed joins again by itself after every reconnection.</summary>
    Task JoinMetricAsync(string name, CancellationToken cancellationToken);

    Task LeaveMetricAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Receives what an <see cref="ILiveFeed"/> sees; each method runs on the receive path and must not wait for the server.</summary>
public interface ILiveFeedObserver
{
    Task OnConnectionChangedAsync(LiveConnectionState state) => Task.CompletedTask;

    /// <summary>Any message at all arrived (services, alerts or metrics): the data is fresh.</summary>
    void OnMessage() { }

    Task OnAlertsDeltaAsync(AlertDelta delta) => Task.CompletedTask;

    Task OnMetricsDeltaAsync(MetricsDelta delta) => Task.CompletedTask;

    /// <summary>The overview group's grid delta (tiles whose status or name changed).</summary>
    Task OnGridDeltaAsync(GridDelta delta) => Task.CompletedTask;
}
