using Monitoring.Core.Metrics;

namespace Monitoring.Core.Tests.Metrics;

public class QuantileSketchTests
{
    private static double BruteForce(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Floor(q * (sorted.Count - 1))];
    }

    private static void AssertWithin(double expected, double actual)
    {
        var tolerance = Math.Abs(expected) * QuantileSketch.RelativeAccuracy + 1e-9;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected} ± {tolerance}, got {actual}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void QuantilesAreWithinRelativeAccuracyOfBruteForce(int seed)
    {
        var random = new Random(seed);
        // Log-normal latencies, uniform values and a few negatives and zeros.
        var values = Enumerable.Range(0, 20_000).Select(i => (i % 4) switch
        {
            0 => Math.Exp(random.NextDouble() * 8),
            1 => random.NextDouble() * 1000,
            2 => i % 40 == 2 ? 0 : -random.NextDouble() * 50,
            _ => 0.001 + random.NextDouble(),
        }).ToList();
        var sketch = new QuantileSketch();
        foreach (var v in values) sketch.Add(v);
        foreach (var q in new[] { 0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1 }) AssertWithin(BruteForce(values, q), sketch.Quantile(q));
    }

    [Fact]
    public void MergedSketchesEqualOneSketchOfAllValues()
    {
        var random = new Random(7);
        var all = new QuantileSketch();
        var parts = Enumerable.Range(0, 10).Select(_ => new QuantileSketch()).ToArray();
        var values = new List<double>();
        for (var i = 0; i < 10_000; i++)
        {
            var v = random.NextDouble() * 500;
            values.Add(v);
            all.Add(v);
            parts[i % 10].Add(v);
        }
        var merged = new QuantileSketch();
        foreach (var p in parts) merged.Merge(QuantileSketch.FromBytes(p.ToBytes()));
        Assert.Equal(all.Count, merged.Count);
        foreach (var q in new[] { 0.5, 0.95, 0.99 })
        {
            Assert.Equal(all.Quantile(q), merged.Quantile(q));
            AssertWithin(BruteForce(values, q), merged.Quantile(q));
        }
    }

    [Fact]
    public void SerialisedFormIsCompactAndRoundTrips()
    {
        var sketch = new QuantileSketch();
        for (var i = 0; i < 1000; i++) sketch.Add(100 + i % 50);
        var bytes = sketch.ToBytes();
        Assert.True(bytes.Length < 200, $"{bytes.Length} bytes");
        var back = QuantileSketch.FromBytes(bytes);
        Assert.Equal(sketch.Count, back.Count);
        Assert.Equal(sketch.Quantile(0.5), back.Quantile(0.5));
    }

    [Fact]
    public void EmptySketchAnswersNaNAndRejectsNonFinite()
    {
        var sketch = new QuantileSketch();
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(double.PositiveInfinity));
    }
}
