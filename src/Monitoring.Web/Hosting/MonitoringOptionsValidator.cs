using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Monitoring.Web.Hosting;

/// <summary>
/// Validates <see cref="MonitoringOptions"/> and its nested sections with their data annotations
/// (the built-in validator does not descend into nested objects), naming each failing key by its
/// configuration path, e.g. <c>Monitoring:Checks:Concurrency</c>.
/// </summary>
public sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var failures = new List<string>();
        Check(options, MonitoringOptions.Section, failures);
        Check(options.Checks, $"{MonitoringOptions.Section}:Checks", failures);
        Check(options.Writer, $"{MonitoringOptions.Section}:Writer", failures);
        Check(options.Realtime, $"{MonitoringOptions.Section}:Realtime", failures);
        Check(options.Stream, $"{MonitoringOptions.Section}:Stream", failures);
        Check(options.Retention, $"{MonitoringOptions.Section}:Retention", failures);
        Check(options.Security, $"{MonitoringOptions.Section}:Security", failures);
        Check(options.Bootstrap, $"{MonitoringOptions.Section}:Bootstrap", failures);
        Check(options.Abuse, $"{MonitoringOptions.Section}:Abuse", failures);
        Check(options.Metrics, $"{MonitoringOptions.Section}:Metrics", failures);
        Check(options.Host, $"{MonitoringOptions.Section}:Host", failures);
        Check(options.Alerts, $"{MonitoringOptions.Section}:Alerts", failures);
        if (options.Writer.MaxBatchSize > options.Writer.QueueCapacity)
            failures.Add($"{MonitoringOptions.Section}:Writer:MaxBatchSize must not exceed QueueCapacity.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object section, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true)) return;
        foreach (var r in results)
            failures.Add($"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
    }
}
