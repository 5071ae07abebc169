namespace Monitoring.Client.Shared.Charts;

/// <summary>One point of a time series (ApexCharts gets it as [epochMs, value]); a null value leaves a gap in the line.</summary>
public readonly record struct ChartPoint(DateTimeOffset At, double? Value);
