using BenchmarkDotNet.Attributes;
using Monitoring.Core.Checks;

namespace Monitoring.Benchmarks;

/// <summary>
/// Uptime over one day of 10-second checks (8,640 results), the size the 24 h uptime figure
/// walks per service. Array and List inputs, since callers pass either.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class UptimeMathBenchmarks
{
    private const int Results = 8_640;
    private const long Start = 1_795_000_000_000;
    private (long AtMs, bool Up)[] _array = [];
    private List<(long AtMs, bool Up)> _list = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _array = new (long, bool)[Results];
        for (var i = 0; i < Results; i++) _array[i] = (Start + i * 10_000L + random.Next(0, 50), random.NextDouble() > 0.01);
        _list = [.. _array];
    }

    [Benchmark(Baseline = true)]
    public long AccumulateArray() => UptimeMath.Accumulate(_array, Start, Start + 86_400_000, Start + 86_400_000, 30_000).UpMs;

    [Benchmark]
    public long AccumulateList() => UptimeMath.Accumulate(_list, Start, Start + 86_400_000, Start + 86_400_000, 30_000).UpMs;

    /// <summary>A window that cuts the series in half: half the results fall outside and are skipped.</summary>
    [Benchmark]
    public long AccumulateHalfWindow() => UptimeMath.Accumulate(_array, Start + 43_200_000, Start + 86_400_000, Start + 86_400_000, 30_000).UpMs;
}
