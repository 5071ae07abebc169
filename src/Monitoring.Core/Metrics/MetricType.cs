namespace Monitoring.Core.Metrics;

/// <summary>
/// The four sample types. A histogram or summary sample is one observation; its distribution
/// comes from the rollups' percentile sketch rather than from client-side buckets.
/// </summary>
public enum MetricType
{
    Counter = 0,
    Gauge = 1,
    Histogram = 2,
    Summary = 3,
}

public static class MetricTypes
{
    public static readonly string[] All = ["counter", "gauge", "histogram", "summary"];

    public static string ToApi(this MetricType type) => All[(int)type];

    public static bool TryParse(string? value, out MetricType type)
    {
        var i = value is null ? -1 : Array.FindIndex(All, a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        type = i < 0 ? default : (MetricType)i;
        return i >= 0;
    }
}
