using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Alerts;

/// <summary><c>Monitoring:Alerts</c>: the alert engine's tick and memory bounds.</summary>
public sealed class AlertOptions
{
    /// <summary>How often pending periods, repeats, no-data rules and silence boundaries are evaluated.</summary>
    [Range(1, 3600)]
    public int TickSeconds { get; set; } = 1;

    /// <summary>Events waiting for the engine on the in-process bus; beyond this they are dropped and counted (the tick catches up).</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Pending and firing alerts held in memory; a new alert beyond this is not raised and is counted.</summary>
    [Range(10, 1_000_000)]
    public int MaxActiveAlerts { get; set; } = 10_000;

    /// <summary>Metric series whose recent samples the engine keeps for metric rules.</summary>
    [Range(10, 1_000_000)]
    public int MaxTrackedSeries { get; set; } = 20_000;

    /// <summary>Samples kept per tracked series (the rule's window is also a bound).</summary>
    [Range(10, 100_000)]
    public int MaxSamplesPerSeries { get; set; } = 1_000;

    /// <summary>Check results kept per service for error-rate and latency windows.</summary>
    [Range(10, 100_000)]
    public int MaxResultsPerService { get; set; } = 500;

    /// <summary>Seed the two built-in rules (service down → critical, service slow → warning) at first start.</summary>
    public bool SeedBuiltInRules { get; set; } = true;
}
