namespace Monitoring.Client.Api;

// The slices of the REST contract (API.md) the pages read. Fields the pages don't show are left
// out on purpose: System.Text.Json ignores them, so the server may grow without breaking the client.

/// <summary><c>GET /api/v1/services/{id}</c>: the service and its 50 newest check results (newest first).</summary>
public sealed record ServiceDetail(ServiceInfo Service, IReadOnlyList<CheckResultInfo> History);

public sealed record ServiceInfo(
    long Id,
    string Name,
    string Type,
    string Target,
    int IntervalSeconds,
    int TimeoutMs,
    int? ThresholdMs,
    string Criticality,
    bool Enabled,
    IReadOnlyList<string>? Tags,
    string Status,
    DateTimeOffset? LastCheckedAt,
    double? ResponseTimeMs,
    double? Uptime24h,
    string? Message);

/// <summary>One check result, as history and check-now return it.</summary>
public sealed record CheckResultInfo(
    long ServiceId,
    DateTimeOffset CheckedAt,
    DateTimeOffset? DueAt,
    string Status,
    double ResponseTimeMs,
    string? Message,
    int? StatusCode,
    int Attempts);

/// <summary><c>GET /api/v1/services/{id}/uptime?period=</c>.</summary>
public sealed record UptimeInfo(
    string Period,
    double? UptimePercent,
    int Incidents,
    double DowntimeSeconds,
    double? MttrSeconds,
    double ObservedSeconds);

/// <summary>An incident as <c>/api/v1/incidents</c> returns it.</summary>
public sealed record IncidentInfo(
    long Id,
    long? ServiceId,
    string Title,
    string? Description,
    string Severity,
    string Status,
    bool Automatic,
    DateTimeOffset StartedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? RecoveredAt,
    DateTimeOffset? ResolvedAt,
    double DurationSeconds,
    int ChecksFailedCount,
    string? RootCause,
    string? AssignedTo,
    IReadOnlyList<long>? ServiceIds = null)
{
    public bool IsOpen => !string.Equals(Status, "resolved", StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>GET /api/v1/account/me</c>: who the browser is signed in as.</summary>
public sealed record AccountInfo(string Name, string ActorType, IReadOnlyList<string> Roles, string? Scope)
{
    /// <summary>Operators and admins may run checks by hand; viewers and wall screens may not.</summary>
    public bool CanOperate => Roles.Any(r => r is "Operator" or "Admin");
}
