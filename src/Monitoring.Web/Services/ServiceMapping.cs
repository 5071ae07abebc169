using System.Text.Json;
using Monitoring.Core.Services;
using Monitoring.Web.Data;

namespace Monitoring.Web.Services;

/// <summary>Converts between the stored row and the in-memory definition.</summary>
public static class ServiceMapping
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static ServiceDefinition ToDefinition(this ServiceEntity e) => new()
    {
        Id = e.Id,
        Name = e.Name,
        Type = Enum.Parse<ServiceType>(e.Type, ignoreCase: true),
        Target = e.Target,
        IntervalSeconds = e.IntervalSeconds,
        TimeoutMs = e.TimeoutMs,
        Retries = e.Retries,
        ThresholdMs = e.ThresholdMs,
        Criticality = Enum.Parse<Criticality>(e.Criticality, ignoreCase: true),
        FailureThreshold = e.FailureThreshold,
        RecoveryThreshold = e.RecoveryThreshold,
        Conditions = JsonSerializer.Deserialize<List<CheckCondition>>(e.ConditionsJson, s_json) ?? [],
        Tags = JsonSerializer.Deserialize<List<string>>(e.TagsJson, s_json) ?? [],
        DependsOn = JsonSerializer.Deserialize<List<long>>(e.DependsOnJson, s_json) ?? [],
        Enabled = e.Enabled,
        HeartbeatToken = e.HeartbeatToken,
        CreatedAtMs = e.CreatedAtMs,
        Version = e.Version,
    };

    public static void CopyTo(this ServiceDefinition d, ServiceEntity e, long nowMs)
    {
        e.Name = d.Name;
        e.Type = d.Type.ToApi();
        e.Target = d.Target;
        e.IntervalSeconds = d.IntervalSeconds;
        e.TimeoutMs = d.TimeoutMs;
        e.Retries = d.Retries;
        e.ThresholdMs = d.ThresholdMs;
        e.Criticality = d.Criticality.ToApi();
        e.FailureThreshold = d.FailureThreshold;
        e.RecoveryThreshold = d.RecoveryThreshold;
        e.ConditionsJson = JsonSerializer.Serialize(d.Conditions, s_json);
        e.TagsJson = JsonSerializer.Serialize(d.Tags, s_json);
        e.DependsOnJson = JsonSerializer.Serialize(d.DependsOn, s_json);
        e.Enabled = d.Enabled;
        e.HeartbeatToken = d.HeartbeatToken;
        e.Version = d.Version;
        e.UpdatedAtMs = nowMs;
    }
}
