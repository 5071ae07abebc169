using Monitoring.Client.Live;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests;

/// <summary>Stands in for the hub's alerts, metrics and connection events.</summary>
public sealed class FakeLiveFeed : ILiveFeed
{
    private readonly List<ILiveFeedObserver> _observers = [];

    /// <summary>What the next alerts snapshot request answers; null makes it throw as an older server would.</summary>
    public AlertsSnapshot? AlertsSnapshot { get; set; } = new(0, []);

    public int AlertsSnapshotRequests { get; private set; }

    public List<string> Joined { get; } = [];

    public List<string> Left { get; } = [];

    public bool Started { get; private set; }

    public void Subscribe(ILiveFeedObserver observer) => _observers.Add(observer);

    public Task EnsureStartedAsync()
    {
        Started = true;
        return Task.CompletedTask;
    }

    public Task<AlertsSnapshot> GetAlertsSnapshotAsync(CancellationToken cancellationToken)
    {
        AlertsSnapshotRequests++;
        return AlertsSnapshot is { } s ? Task.FromResult(s) : Task.FromException<AlertsSnapshot>(new InvalidOperationException("Method does not exist."));
    }

    public Task JoinMetricAsync(string name, CancellationToken cancellationToken) { Joined.Add(name); return Task.CompletedTask; }

    public Task LeaveMetricAsync(string name, CancellationToken cancellationToken) { Left.Add(name); return Task.CompletedTask; }

    public async Task SetConnectionAsync(LiveConnectionState state)
    {
        foreach (var o in _observers.ToList()) await o.OnConnectionChangedAsync(state);
    }

    public async Task PushAlertsAsync(AlertDelta delta)
    {
        foreach (var o in _observers.ToList()) { o.OnMessage(); await o.OnAlertsDeltaAsync(delta); }
    }

    public async Task PushGridAsync(GridDelta delta)
    {
        foreach (var o in _observers.ToList()) { o.OnMessage(); await o.OnGridDeltaAsync(delta); }
    }

    public async Task PushMetricsAsync(MetricsDelta delta)
    {
        foreach (var o in _observers.ToList()) { o.OnMessage(); await o.OnMetricsDeltaAsync(delta); }
    }
}
