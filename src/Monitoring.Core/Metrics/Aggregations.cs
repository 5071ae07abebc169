namespace Monitoring.Core.Metrics;

public enum Aggregation { Avg, Min, Max, Sum, Count, P50, P95, P99 }

public static class Aggregations
{
    public static readonly string[] All = ["avg", "min", "max", "sum", "count", "p50", "p95", "p99"];

    public static bool TryParse(string? value, out Aggregation aggregation)
    {
        var i = value is null ? -1 : Array.FindIndex(All, a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        aggregation = i < 0 ? default : (Aggregation)i;
        return i >= 0;
    }

    public static string ToApi(this Aggregation a) => All[(int)a];

    public static bool IsPercentile(this Aggregation a) => a is Aggregation.P50 or Aggregation.P95 or Aggregation.P99;

    public static double Quantile(this Aggregation a) => a switch
    {
        Aggregation.P50 => 0.50,
        Aggregation.P95 => 0.95,
        Aggregation.P99 => 0.99,
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };
}

/// <summary>
/// Count, sum, min, max and (when asked for) a percentile sketch of one bucket. Raw values and
/// rollup rows add into the same accumulator, so a bucket may mix both.
/// </summary>
public sealed class BucketAccumulator(bool withSketch)
{
    public long Count { get; private set; }
    public double Sum { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public QuantileSketch? Sketch { get; } = withSketch ? new QuantileSketch() : null;

    public void Add(double value)
    {
        Count++;
        Sum += value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        Sketch?.Add(value);
    }

    public void AddRollup(long count, double sum, double min, double max, ReadOnlySpan<byte> sketch)
    {
        if (count <= 0) return;
        Count += count;
        Sum += sum;
        if (min < Min) Min = min;
        if (max > Max) Max = max;
        if (Sketch is not null && !sketch.IsEmpty) Sketch.MergeBytes(sketch);
    }

    public double Result(Aggregation a) => a switch
    {
        Aggregation.Avg => Count == 0 ? double.NaN : Sum / Count,
        Aggregation.Min => Min,
        Aggregation.Max => Max,
        Aggregation.Sum => Sum,
        Aggregation.Count => Count,
        _ => Sketch?.Quantile(a.Quantile()) ?? double.NaN,
    };
}
