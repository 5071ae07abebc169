using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Metrics;

/// <summary><c>Monitoring:Host</c>: the collector of this machine's and this process's figures.</summary>
public sealed class HostMetricsOptions
{
    public bool Enabled { get; set; } = true;

    [Range(1, 3_600)]
    public int IntervalSeconds { get; set; } = 10;

    /// <summary>Value of the <c>host</c> label; the machine name when empty.</summary>
    public string? HostLabel { get; set; }
}
