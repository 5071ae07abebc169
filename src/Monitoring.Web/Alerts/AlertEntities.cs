namespace Monitoring.Web.Alerts;

// Timestamps are Unix milliseconds. Lists and maps are JSON text columns.

public sealed class AlertRuleEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>metric | check_unhealthy | check_degraded | latency | error_rate | cert_expiry | no_data</summary>
    public required string Kind { get; set; }
    public string? Query { get; set; }
    public required string Operator { get; set; }
    public double Threshold { get; set; }
    public int ForSeconds { get; set; }
    public int WindowSeconds { get; set; }
    public required string Aggregation { get; set; }
    public required string Severity { get; set; }
    public string LabelsJson { get; set; } = "{}";
    public string ChannelIdsJson { get; set; } = "[]";
    public string ServiceIdsJson { get; set; } = "[]";
    public int RepeatIntervalSeconds { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Set on the rules seeded at first start (e.g. <c>builtin:service-down</c>); informational only.</summary>
    public string? BuiltInKey { get; set; }
    public long CreatedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
}

/// <summary>One alert instance (one fingerprint's pending → firing → resolved life).</summary>
public sealed class AlertEntity
{
    public long Id { get; set; }
    public long? RuleId { get; set; }
    public required string RuleName { get; set; }
    public required string Fingerprint { get; set; }
    /// <summary>pending | firing | resolved</summary>
    public required string State { get; set; }
    public required string Severity { get; set; }
    public required string Message { get; set; }
    public string LabelsJson { get; set; } = "{}";
    public long? ServiceId { get; set; }
    public long? IncidentId { get; set; }
    public double? Value { get; set; }
    public long StartedAtMs { get; set; }
    public long? FiredAtMs { get; set; }
    public long? ResolvedAtMs { get; set; }
    public long? AcknowledgedAtMs { get; set; }
    public string? AcknowledgedBy { get; set; }
    public string? ResolvedBy { get; set; }
    public bool Silenced { get; set; }
    public bool Suppressed { get; set; }
    public long? SuppressedByIncidentId { get; set; }
    public int NotificationsSent { get; set; }
    public int RepeatCount { get; set; }
    public long? LastNotifiedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }
}

/// <summary>History of an alert: pending, firing, repeat, acknowledged, resolved, with who did it.</summary>
public sealed class AlertEventEntity
{
    public long Id { get; set; }
    public long AlertId { get; set; }
    public required string Type { get; set; }
    public long AtMs { get; set; }
    /// <summary>"system" for the engine, otherwise the user or API key name.</summary>
    public required string Actor { get; set; }
    public string? Detail { get; set; }
}

public sealed class SilenceEntity
{
    public long Id { get; set; }
    public string? Comment { get; set; }
    public required string MatchersJson { get; set; }
    public long StartsAtMs { get; set; }
    public long? EndsAtMs { get; set; }
    public string? ScheduleJson { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAtMs { get; set; }
}

/// <summary>Things seeded once (the built-in rules): a deleted seed is not seeded again.</summary>
public sealed class AlertSeedMarkerEntity
{
    public required string Key { get; set; }
    public long SeededAtMs { get; set; }
}
