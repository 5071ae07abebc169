using System.Text.Json;
using Monitoring.Core.Alerts;

namespace Monitoring.Web.Alerts;

/// <summary>Entity ↔ contract conversions of rules, alerts and silences.</summary>
public static class AlertMapping
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, s_json);
    public static T? FromJson<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, s_json);
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public static void Apply(this AlertRuleEntity e, AlertRuleSpec s, long nowMs)
    {
        e.Name = s.Name;
        e.Description = s.Description;
        e.Kind = AlertRuleSpec.KindName(s.Kind);
        e.Query = s.QueryText;
        e.Operator = s.Operator.ToText();
        e.Threshold = s.Threshold;
        e.ForSeconds = s.ForSeconds;
        e.WindowSeconds = s.WindowSeconds;
        e.Aggregation = s.Aggregation;
        e.Severity = AlertRuleSpec.SeverityName(s.Severity);
        e.LabelsJson = ToJson(s.Labels);
        e.ChannelIdsJson = ToJson(s.ChannelIds);
        e.ServiceIdsJson = ToJson(s.ServiceIds);
        e.RepeatIntervalSeconds = s.RepeatIntervalSeconds;
        e.Enabled = s.Enabled;
        e.UpdatedAtMs = nowMs;
    }

    public static AlertRuleEntity NewRule(AlertRuleSpec s, long nowMs)
    {
        var e = new AlertRuleEntity { Name = s.Name, Kind = "", Operator = "", Aggregation = "", Severity = "", CreatedAtMs = nowMs };
        e.Apply(s, nowMs);
        return e;
    }

    public static AlertRuleInput ToInput(this AlertRuleEntity e) => new(e.Name, e.Description, e.Kind, e.Query, e.Operator, e.Threshold, e.ForSeconds,
        e.WindowSeconds, e.Aggregation, e.Severity, FromJson<Dictionary<string, string>>(e.LabelsJson), FromJson<List<long>>(e.ChannelIdsJson),
        FromJson<List<long>>(e.ServiceIdsJson), e.RepeatIntervalSeconds, e.Enabled);

    /// <summary>The stored rule as the engine runs it; null if it no longer validates (it is then skipped).</summary>
    public static AlertRuleSpec? ToSpec(this AlertRuleEntity e) => AlertRuleSpec.Validate(e.ToInput(), []);

    public static AlertRuleDto ToDto(this AlertRuleEntity e) => new(e.Id, e.Name, e.Description, e.Kind, e.Query, e.Operator, e.Threshold,
        e.ForSeconds, e.WindowSeconds, e.Aggregation, e.Severity, FromJson<Dictionary<string, string>>(e.LabelsJson) ?? [],
        FromJson<List<long>>(e.ChannelIdsJson) ?? [], FromJson<List<long>>(e.ServiceIdsJson) ?? [], e.RepeatIntervalSeconds, e.Enabled,
        Time(e.CreatedAtMs), Time(e.UpdatedAtMs));

    public static AlertDto ToDto(this AlertEntity e) => new(e.Id, e.RuleId, e.RuleName, e.Fingerprint, e.State, e.Severity, e.Message,
        FromJson<Dictionary<string, string>>(e.LabelsJson) ?? [], e.ServiceId, e.IncidentId, e.Value, Time(e.StartedAtMs), Time(e.FiredAtMs),
        Time(e.ResolvedAtMs), Time(e.AcknowledgedAtMs), e.AcknowledgedBy, e.Silenced, e.Suppressed, e.SuppressedByIncidentId, e.NotificationsSent,
        Time(e.UpdatedAtMs));

    public static SilenceDto ToDto(this SilenceEntity e, DateTimeOffset now, SilenceRule? rule) => new(e.Id, e.Comment,
        FromJson<List<SilenceMatcher>>(e.MatchersJson) ?? [], Time(e.StartsAtMs), Time(e.EndsAtMs), FromJson<SilenceSchedule>(e.ScheduleJson),
        rule?.IsActive(now) ?? false, e.CreatedBy, Time(e.CreatedAtMs));

    /// <summary>The stored silence ready to match; null if it no longer validates.</summary>
    public static SilenceRule? ToRule(this SilenceEntity e)
    {
        var input = new SilenceInput(e.Comment, FromJson<List<SilenceMatcher>>(e.MatchersJson), Time(e.StartsAtMs), Time(e.EndsAtMs), FromJson<SilenceSchedule>(e.ScheduleJson));
        return SilenceRule.Validate(input, Time(e.StartsAtMs), [], e.Id);
    }
}
