namespace Monitoring.Core.Alerts;

/// <summary>How bad an alert is. The API speaks the lower-case names (info, warning, error, critical).</summary>
public enum AlertSeverity { Info, Warning, Error, Critical }

/// <summary>Where an alert is in its life: the condition holds but not yet for <c>forSeconds</c>, it fires, it is over.</summary>
public enum AlertState { Pending, Firing, Resolved }

/// <summary>
/// What a rule watches. <see cref="Metric"/> evaluates <c>query</c> (a metric name with optional label
/// matchers, e.g. <c>cpu_usage{host="a"}</c>) aggregated over <c>windowSeconds</c>; the others are
/// built in and read check results of the services the rule's <c>serviceIds</c> name (all when empty).
/// </summary>
public enum AlertRuleKind { Metric, CheckUnhealthy, CheckDegraded, Latency, ErrorRate, CertExpiry, NoData }

/// <summary>Body of <c>POST /api/v1/alert-rules</c> and <c>PUT /api/v1/alert-rules/{id}</c>.</summary>
public sealed record AlertRuleInput(
    string? Name,
    string? Description,
    string? Kind,                 // metric (default) | check_unhealthy | check_degraded | latency | error_rate | cert_expiry | no_data
    string? Query,                // metric kind: name{label="v",...}
    string? Operator,             // > >= < <= == !=
    double? Threshold,
    int? ForSeconds,              // pending period, default 0
    int? WindowSeconds,           // aggregation window, default 60
    string? Aggregation,          // avg (default) | min | max | sum | count | last | p95 | p99
    string? Severity,             // info | warning | error | critical
    IReadOnlyDictionary<string, string>? Labels,
    IReadOnlyList<long>? ChannelIds,
    IReadOnlyList<long>? ServiceIds,
    int? RepeatIntervalSeconds,   // default 3600; 0 = never repeat
    bool? Enabled);

public sealed record AlertRuleDto(
    long Id,
    string Name,
    string? Description,
    string Kind,
    string? Query,
    string Operator,
    double Threshold,
    int ForSeconds,
    int WindowSeconds,
    string Aggregation,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<long> ChannelIds,
    IReadOnlyList<long> ServiceIds,
    int RepeatIntervalSeconds,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The value a rule sees now, per series or service it matches: the rule editor's live preview.</summary>
public sealed record AlertRulePreview(IReadOnlyList<AlertRulePreviewItem> Items, DateTimeOffset EvaluatedAt);

public sealed record AlertRulePreviewItem(IReadOnlyDictionary<string, string> Labels, double? Value, bool ConditionMet);

/// <summary>One alert instance: a rule's condition for one fingerprint (rule id + labels).</summary>
public sealed record AlertDto(
    long Id,
    long? RuleId,
    string RuleName,
    string Fingerprint,
    string State,                 // pending | firing | resolved
    string Severity,
    string Message,
    IReadOnlyDictionary<string, string> Labels,
    long? ServiceId,
    long? IncidentId,
    double? Value,
    DateTimeOffset StartedAt,     // condition first held (pending since)
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    bool Silenced,                // recorded but not notified (silence, maintenance)
    bool Suppressed,              // an upstream dependency is down
    long? SuppressedByIncidentId,
    int NotificationsSent,
    DateTimeOffset UpdatedAt);

/// <summary>Body of <c>POST /api/v1/silences</c>. A maintenance window is a silence with a schedule.</summary>
public sealed record SilenceInput(
    string? Comment,
    IReadOnlyList<SilenceMatcher>? Matchers,
    DateTimeOffset? StartsAt,     // default now
    DateTimeOffset? EndsAt,       // required unless Schedule is given
    SilenceSchedule? Schedule);

/// <summary><c>name</c> is a label (alertname, severity, serviceId, service, or a rule label); <c>op</c> is = != =~ !~.</summary>
public sealed record SilenceMatcher(string? Name, string? Op, string? Value);

/// <summary>Recurring window: either <c>cron</c> (5 fields) or <c>days</c> (mon..sun) + <c>start</c> "HH:mm", for <c>durationMinutes</c>, in <c>timeZone</c> (IANA, default UTC).</summary>
public sealed record SilenceSchedule(string? Cron, IReadOnlyList<string>? Days, string? Start, int? DurationMinutes, string? TimeZone);

public sealed record SilenceDto(
    long Id,
    string? Comment,
    IReadOnlyList<SilenceMatcher> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    SilenceSchedule? Schedule,
    bool ActiveNow,
    string CreatedBy,
    DateTimeOffset CreatedAt);
