using BenchmarkDotNet.Attributes;
using Monitoring.Core.Checks;

namespace Monitoring.Benchmarks;

/// <summary>
/// The scheduler computes Phase and NextDueAfter once per check dequeued: at 10,000 services every
/// 10 s that is 1,000 calls a second, so these must stay in the nanoseconds.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ScheduleMathBenchmarks
{
    private const int Ids = 1024;
    private const long IntervalMs = 10_000;
    private readonly long[] _ids = new long[Ids];
    private readonly long[] _phases = new long[Ids];
    private long _nowMs;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Ids; i++)
        {
            _ids[i] = random.NextInt64(1, 10_000_000);
            _phases[i] = ScheduleMath.Phase(_ids[i], IntervalMs);
        }
        _nowMs = 1_795_000_000_000; // a fixed 2026 timestamp: results don't depend on when the bench runs
    }

    [Benchmark(OperationsPerInvoke = Ids)]
    public long Phase()
    {
        long sum = 0;
        for (var i = 0; i < _ids.Length; i++) sum += ScheduleMath.Phase(_ids[i], IntervalMs);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ids)]
    public long NextDueAfter()
    {
        long sum = 0;
        for (var i = 0; i < _phases.Length; i++) sum += ScheduleMath.NextDueAfter(_nowMs + i, _phases[i], IntervalMs);
        return sum;
    }

    /// <summary>What the scheduler does per dequeued check: both together.</summary>
    [Benchmark(OperationsPerInvoke = Ids)]
    public long PhaseThenNextDue()
    {
        long sum = 0;
        for (var i = 0; i < _ids.Length; i++) sum += ScheduleMath.NextDueAfter(_nowMs + i, ScheduleMath.Phase(_ids[i], IntervalMs), IntervalMs);
        return sum;
    }
}
