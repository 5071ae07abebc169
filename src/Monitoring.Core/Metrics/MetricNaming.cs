namespace Monitoring.Core.Metrics;

/// <summary>
/// Prometheus naming: metric names <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; label names
/// <c>[a-zA-Z_][a-zA-Z0-9_]*</c> (Prometheus keeps colons for recording rules and reserves the
/// <c>__</c> prefix for itself, and so do we).
/// </summary>
public static class MetricNaming
{
    public const int MaxNameLength = 200;
    public const int MaxLabelValueLength = 1024;
    public const int MaxLabels = 32;

    public static bool IsValidMetricName(string? name) => IsValid(name, allowColon: true);

    public static bool IsValidLabelName(string? name) => IsValid(name, allowColon: false) && !name!.StartsWith("__", StringComparison.Ordinal);

    private static bool IsValid(string? name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            if (!ok) return false;
        }
        return true;
    }
}
