namespace Monitoring.Web.Data;

// Timestamps are Unix milliseconds wherever they are filtered or ordered.

public sealed class ServiceEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public string Target { get; set; } = "";
    public int IntervalSeconds { get; set; }
    public int TimeoutMs { get; set; }
    public int Retries { get; set; }
    public int? ThresholdMs { get; set; }
    public required string Criticality { get; set; }
    public int FailureThreshold { get; set; }
    public int RecoveryThreshold { get; set; }
    public string ConditionsJson { get; set; } = "[]";
    public string TagsJson { get; set; } = "[]";
    public string DependsOnJson { get; set; } = "[]";
    public bool Enabled { get; set; } = true;
    public string? HeartbeatToken { get; set; }
    public long CreatedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
    public int Version { get; set; }
}

public sealed class CheckResultEntity
{
    public long Id { get; set; }
    public long ServiceId { get; set; }
    public long DueAtMs { get; set; }
    public long StartedAtMs { get; set; }
    public int Status { get; set; }
    public double LatencyMs { get; set; }
    public string? Message { get; set; }
    public int? StatusCode { get; set; }
    public int Attempts { get; set; }
}

/// <summary>Up and observed milliseconds per service per hour, kept by the result writer.</summary>
public sealed class UptimeHourEntity
{
    public long ServiceId { get; set; }
    public long HourStartMs { get; set; }
    public long UpMs { get; set; }
    public long ObservedMs { get; set; }
}

public sealed class IncidentEntity
{
    public long Id { get; set; }
    public long? ServiceId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public string Severity { get; set; } = "critical";
    /// <summary>investigating | identified | monitoring | resolved</summary>
    public string Status { get; set; } = "investigating";
    public bool IsAutomatic { get; set; }
    public long StartedAtMs { get; set; }
    public long? AcknowledgedAtMs { get; set; }
    public long? RecoveredAtMs { get; set; }
    public long? ResolvedAtMs { get; set; }
    public int ChecksFailedCount { get; set; }
    public string? RootCause { get; set; }
    public string? AssignedTo { get; set; }
    public long UpdatedAtMs { get; set; }
}

/// <summary>A durable live-stream event; <see cref="Seq"/> is the SSE event id.</summary>
public sealed class StreamEventEntity
{
    public long Seq { get; set; }
    public required string Topic { get; set; }
    public required string Type { get; set; }
    public long AtMs { get; set; }
    public required string PayloadJson { get; set; }
}
