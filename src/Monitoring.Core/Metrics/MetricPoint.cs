namespace Monitoring.Core.Metrics;

/// <summary>The newest value of one series, as the live feed sends it.</summary>
public sealed record MetricPoint(
    long SeriesId,
    string Name,
    string Type,
    string Service,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Timestamp,
    double Value);
