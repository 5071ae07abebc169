using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Hosting;

// The metric and event windows of Monitoring:Retention, declared beside their feature.
public sealed partial class RetentionOptions
{
    /// <summary>Raw metric samples kept (hours).</summary>
    [Range(1, 24 * 3650)]
    public int RawSamplesHours { get; set; } = 48;

    [Range(1, 3650)]
    public int MinuteRollupsDays { get; set; } = 30;

    [Range(1, 3650)]
    public int HourRollupsDays { get; set; } = 400;

    [Range(1, 3650)]
    public int EventsDays { get; set; } = 7;
}
