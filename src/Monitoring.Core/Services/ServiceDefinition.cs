namespace Monitoring.Core.Services;

/// <summary>The configuration of one monitored service, as the scheduler and checkers see it.</summary>
public sealed record ServiceDefinition
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public ServiceType Type { get; init; }
    public string Target { get; init; } = "";
    public int IntervalSeconds { get; init; } = 60;
    public int TimeoutMs { get; init; } = 5000;
    public int Retries { get; init; }
    public int? ThresholdMs { get; init; }
    public Criticality Criticality { get; init; } = Criticality.Medium;
    public int FailureThreshold { get; init; } = 1;
    public int RecoveryThreshold { get; init; } = 1;
    public IReadOnlyList<CheckCondition> Conditions { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool Enabled { get; init; } = true;
    public IReadOnlyList<long> DependsOn { get; init; } = [];
    public string? HeartbeatToken { get; init; }
    public long CreatedAtMs { get; init; }
    /// <summary>Bumped on every update so the scheduler can drop stale queue entries.</summary>
    public int Version { get; init; }

    public long IntervalMs => IntervalSeconds * 1000L;
}
