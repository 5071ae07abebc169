using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Hosting;

// The alert window of Monitoring:Retention, declared beside its feature.
public sealed partial class RetentionOptions
{
    /// <summary>Resolved alerts (and their history) kept, in days after they resolved.</summary>
    [Range(1, 3650)]
    public int AlertsDays { get; set; } = 90;
}
