namespace Monitoring.Client.Live;

/// <summary>Limits of the browser's live stores and hub connection.</summary>
public sealed class LiveOptions
{
    /// <summary>Services the store holds; more are dropped and the page says so, so a huge registry cannot exhaust the tab.</summary>
    public int MaxServices { get; set; } = 50_000;

    /// <summary>Deltas buffered while a snapshot is in flight; overflowing means "fetch another snapshot".</summary>
    public int MaxPendingDeltas { get; set; } = 1_000;

    /// <summary>Minimum time between two change callbacks of one subscription (Aspire dashboard style).</summary>
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How stale the "last update" time may be shown: message arrivals notify connection subscribers at most this often.</summary>
    public TimeSpan FreshnessInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of the back-off between reconnect attempts; attempts never stop.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before asking again for a snapshot that failed while the connection stayed up.</summary>
    public TimeSpan SnapshotRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Alerts the alert feed keeps (newest first); older ones drop off, resolved before active.</summary>
    public int MaxAlerts { get; set; } = 200;

    /// <summary>Least time between two alert snapshots taken because the server left changes out of its deltas.</summary>
    public TimeSpan TruncatedResyncInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Least time between two renders of the overview's alert feed (a list of MudBlazor rows).</summary>
    public TimeSpan FeedRenderInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Points kept per metric series for its rolling stats and sparkline.</summary>
    public int MetricWindow { get; set; } = 120;

    /// <summary>Series the stats store tracks; new series beyond it are ignored.</summary>
    public int MaxSeries { get; set; } = 500;
}
