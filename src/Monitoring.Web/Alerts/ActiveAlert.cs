using Monitoring.Core.Alerts;

namespace Monitoring.Web.Alerts;

/// <summary>An alert the engine holds in memory while it is pending or firing.</summary>
public sealed class ActiveAlert
{
    public long Id { get; set; }
    public required long RuleId { get; init; }
    public required string RuleName { get; set; }
    public required string Fingerprint { get; init; }
    public required AlertSeverity Severity { get; set; }
    public required string Message { get; set; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public long? ServiceId { get; init; }
    public long? IncidentId { get; set; }
    public double? Value { get; set; }
    public required AlertTracker Tracker { get; init; }
    public string? AcknowledgedBy { get; set; }
    public string? ResolvedBy { get; set; }
    public bool Silenced { get; set; }
    public bool Suppressed { get; set; }
    public long? SuppressedByIncidentId { get; set; }
    public int NotificationsSent { get; set; }
    public long UpdatedAtMs { get; set; }
    /// <summary>Whether the rule's condition held at the last evaluation (the tick steps with it).</summary>
    public bool ConditionMet { get; set; } = true;

    public string StateName => Tracker.State.ToString().ToLowerInvariant();

    public AlertDto ToDto() => new(Id, RuleId, RuleName, Fingerprint, StateName, AlertRuleSpec.SeverityName(Severity), Message, Labels, ServiceId,
        IncidentId, Value, AlertMapping.Time(Tracker.StartedAtMs), AlertMapping.Time(Tracker.FiredAtMs), AlertMapping.Time(Tracker.ResolvedAtMs),
        AlertMapping.Time(Tracker.AcknowledgedAtMs), AcknowledgedBy, Silenced, Suppressed, SuppressedByIncidentId, NotificationsSent,
        AlertMapping.Time(UpdatedAtMs));

    public AlertEntity ToEntity() => new()
    {
        Id = Id,
        RuleId = RuleId == 0 ? null : RuleId,
        RuleName = RuleName,
        Fingerprint = Fingerprint,
        State = StateName,
        Severity = AlertRuleSpec.SeverityName(Severity),
        Message = Message,
        LabelsJson = AlertMapping.ToJson(Labels),
        ServiceId = ServiceId,
        IncidentId = IncidentId,
        Value = Value is { } v && double.IsFinite(v) ? v : null,
        StartedAtMs = Tracker.StartedAtMs,
        FiredAtMs = Tracker.FiredAtMs,
        ResolvedAtMs = Tracker.ResolvedAtMs,
        AcknowledgedAtMs = Tracker.AcknowledgedAtMs,
        AcknowledgedBy = AcknowledgedBy,
        ResolvedBy = ResolvedBy,
        Silenced = Silenced,
        Suppressed = Suppressed,
        SuppressedByIncidentId = SuppressedByIncidentId,
        NotificationsSent = NotificationsSent,
        RepeatCount = Tracker.RepeatCount,
        LastNotifiedAtMs = Tracker.LastNotifiedAtMs,
        UpdatedAtMs = UpdatedAtMs,
    };

    public static ActiveAlert FromEntity(AlertEntity e, AlertSeverity severity) => new()
    {
        Id = e.Id,
        RuleId = e.RuleId ?? 0,
        RuleName = e.RuleName,
        Fingerprint = e.Fingerprint,
        Severity = severity,
        Message = e.Message,
        Labels = AlertMapping.FromJson<Dictionary<string, string>>(e.LabelsJson) ?? [],
        ServiceId = e.ServiceId,
        IncidentId = e.IncidentId,
        Value = e.Value,
        Tracker = new AlertTracker
        {
            State = e.State == "firing" ? AlertState.Firing : e.State == "pending" ? AlertState.Pending : AlertState.Resolved,
            StartedAtMs = e.StartedAtMs,
            FiredAtMs = e.FiredAtMs,
            ResolvedAtMs = e.ResolvedAtMs,
            AcknowledgedAtMs = e.AcknowledgedAtMs,
            LastNotifiedAtMs = e.LastNotifiedAtMs,
            RepeatCount = e.RepeatCount,
        },
        AcknowledgedBy = e.AcknowledgedBy,
        ResolvedBy = e.ResolvedBy,
        Silenced = e.Silenced,
        Suppressed = e.Suppressed,
        SuppressedByIncidentId = e.SuppressedByIncidentId,
        NotificationsSent = e.NotificationsSent,
        UpdatedAtMs = e.UpdatedAtMs,
    };
}
