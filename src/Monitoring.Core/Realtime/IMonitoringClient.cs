namespace Monitoring.Core.Realtime;

/// <summary>What the server calls on browsers connected to <c>/hubs/monitoring</c>.</summary>
public interface IMonitoringClient
{
    /// <summary>A batch of service status changes, coalesced per group; <see cref="ServiceDelta.Sequence"/> increases by one per message.</summary>
    Task ServicesChanged(ServiceDelta delta);

    /// <summary>Overview grid tiles that changed (status, name, added, removed); <see cref="GridDelta.Sequence"/> increases by one per message.</summary>
    Task GridChanged(GridDelta delta);

    /// <summary>The latest value of each series that received samples since the previous message (coalesced).</summary>
    Task MetricsChanged(MetricsDelta delta);

    /// <summary>Alerts that changed (pending, firing, acknowledged, resolved) since the previous message; coalesced per group.</summary>
    Task AlertsChanged(AlertDelta delta);
}

/// <summary>Hub method names and routes shared by server and browser.</summary>
public static class MonitoringHubContract
{
    public const string Path = "/hubs/monitoring";
    public const string OverviewGroup = "overview";
    public const string GetServicesSnapshot = nameof(GetServicesSnapshot);
    public const string ServicesChanged = nameof(IMonitoringClient.ServicesChanged);
    public const string GridChanged = nameof(IMonitoringClient.GridChanged);
    /// <summary>The group of full-rate <c>ServicesChanged</c> deltas; <see cref="GetServicesSnapshot"/> joins it.</summary>
    public const string ServicesGroup = "services";
    /// <summary><c>GET</c>: the overview grid as a <see cref="GridSnapshot"/>.</summary>
    public const string GridPath = "/api/v1/overview/grid";
    public const string GetAlertsSnapshot = nameof(GetAlertsSnapshot);
    public const string AlertsChanged = nameof(IMonitoringClient.AlertsChanged);
    public const string MetricsChanged = nameof(IMonitoringClient.MetricsChanged);

    /// <summary>Group of one service's deltas: <c>service:{id}</c>, joined with <see cref="JoinService"/>.</summary>
    public const string ServiceGroupPrefix = "service:";
    /// <summary>Group of one metric name's latest values: <c>metric:{name}</c>, joined with <see cref="JoinMetric"/>.</summary>
    public const string MetricGroupPrefix = "metric:";
    /// <summary><c>JoinService(long id)</c> → <see cref="ServicesSnapshot"/> of that one service; its deltas then follow its sequence.</summary>
    public const string JoinService = nameof(JoinService);
    public const string LeaveService = nameof(LeaveService);
    /// <summary><c>JoinMetric(string name)</c>: <c>MetricsChanged</c> for every series of that name.</summary>
    public const string JoinMetric = nameof(JoinMetric);
    public const string LeaveMetric = nameof(LeaveMetric);
}

/// <summary>The current state of one service, as the list API and the live UI show it.</summary>
public sealed record ServiceStatusDto(
    long Id,
    string Name,
    string Type,
    string Target,
    string Status,
    DateTimeOffset? LastCheckedAt,
    double? ResponseTimeMs,
    double? Uptime24h,
    string? Message,
    IReadOnlyList<string> Tags,
    bool Enabled);

public sealed record ServicesSnapshot(long Sequence, IReadOnlyList<ServiceStatusDto> Services);

/// <summary>Changed or added services and removed ids since sequence - 1.</summary>
/// <remarks><see cref="SentAt"/> is when the server handed the message to SignalR, for delivery-latency measurement.</remarks>
public sealed record ServiceDelta(long Sequence, IReadOnlyList<ServiceStatusDto> Changed, IReadOnlyList<long> Removed, DateTimeOffset? SentAt = null);

/// <summary>Latest values of the series that changed since sequence - 1, for metric cards and sparklines.</summary>
public sealed record MetricsDelta(long Sequence, IReadOnlyList<Monitoring.Core.Metrics.MetricPoint> Points, DateTimeOffset? SentAt = null);

/// <summary>Alerts not yet resolved (pending and firing, newest first, capped) at <see cref="Sequence"/>.</summary>
public sealed record AlertsSnapshot(long Sequence, IReadOnlyList<Monitoring.Core.Alerts.AlertDto> Alerts);

/// <summary>Alerts whose state changed since sequence - 1 (a resolved alert is sent once, then leaves the active set).</summary>
/// <remarks>
/// At most a few dozen alerts per message, the newest changes; <see cref="Omitted"/> counts the changes
/// left out, so a client that keeps older alerts knows its copy may be stale and takes a snapshot (rarely).
/// </remarks>
public sealed record AlertDelta(long Sequence, IReadOnlyList<Monitoring.Core.Alerts.AlertDto> Changed, DateTimeOffset? SentAt = null, int Omitted = 0);
