using Monitoring.Core.Metrics;

namespace Monitoring.Core.Tests.Metrics;

public class BucketAccumulatorTests
{
    [Fact]
    public void RollupsMergedMatchRawValues()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 6_000).Select(_ => random.NextDouble() * 200 - 20).ToList();
        var raw = new BucketAccumulator(withSketch: true);
        foreach (var v in values) raw.Add(v);

        // Sixty "minutes" of 100 values each, serialised and merged as the hour rollup does.
        var merged = new BucketAccumulator(withSketch: true);
        foreach (var chunk in values.Chunk(100))
        {
            var minute = new BucketAccumulator(withSketch: true);
            foreach (var v in chunk) minute.Add(v);
            merged.AddRollup(minute.Count, minute.Sum, minute.Min, minute.Max, minute.Sketch!.ToBytes());
        }
        Assert.Equal(values.Count, merged.Result(Aggregation.Count));
        Assert.Equal(values.Sum(), merged.Result(Aggregation.Sum), 6);
        Assert.Equal(values.Average(), merged.Result(Aggregation.Avg), 9);
        Assert.Equal(values.Min(), merged.Result(Aggregation.Min));
        Assert.Equal(values.Max(), merged.Result(Aggregation.Max));
        foreach (var a in new[] { Aggregation.P50, Aggregation.P95, Aggregation.P99 })
            Assert.Equal(raw.Result(a), merged.Result(a));
    }

    [Fact]
    public void AggregationNamesParse()
    {
        Assert.True(Aggregations.TryParse("P95", out var a));
        Assert.Equal(Aggregation.P95, a);
        Assert.False(Aggregations.TryParse("median", out _));
    }
}
