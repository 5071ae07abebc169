namespace Monitoring.Core.Services;

/// <summary>What a client sends to register or update a service (API body, services.json entry).</summary>
public sealed class ServiceInput
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Target { get; set; }
    public int? IntervalSeconds { get; set; }
    public int? TimeoutMs { get; set; }
    public int? Retries { get; set; }
    public int? ThresholdMs { get; set; }
    public string? Criticality { get; set; }
    public int? FailureThreshold { get; set; }
    public int? RecoveryThreshold { get; set; }
    public List<CheckCondition>? Conditions { get; set; }
    public List<string>? Tags { get; set; }
    public bool? Enabled { get; set; }
    public List<long>? DependsOn { get; set; }
}
