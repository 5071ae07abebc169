namespace Monitoring.LoadGen;

public readonly record struct Distribution(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static readonly Distribution Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Nearest-rank percentiles (no interpolation: every figure is a value that was observed).</summary>
    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) return Empty;
        Array.Sort(sorted);
        return new Distribution(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    public static double Rank(double[] sorted, double q)
    {
        var index = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
