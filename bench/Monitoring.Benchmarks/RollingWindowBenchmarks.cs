using BenchmarkDotNet.Attributes;
using Monitoring.Core.Checks;
using Monitoring.Core.Collections;
using Monitoring.Core.Services;

namespace Monitoring.Benchmarks;

/// <summary>
/// RollingWindow.Add on a full window (the steady state of every sparkline and server-side buffer),
/// for a value type and for the CheckResult reference type the status grid keeps.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class RollingWindowBenchmarks
{
    private const int Adds = 4096;
    private RollingWindow<double> _doubles = null!;
    private RollingWindow<CheckResult> _results = null!;
    private CheckResult _result = null!;

    [Params(60, 1000)]
    public int Capacity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _doubles = new RollingWindow<double>(Capacity);
        _results = new RollingWindow<CheckResult>(Capacity);
        _result = new CheckResult(1, 1_795_000_000_000, 1_795_000_000_001, ServiceStatus.Healthy, 3.2, null, 200);
        for (var i = 0; i < Capacity; i++)
        {
            _doubles.Add(i);
            _results.Add(_result);
        }
    }

    [Benchmark(OperationsPerInvoke = Adds)]
    public int AddDouble()
    {
        for (var i = 0; i < Adds; i++) _doubles.Add(i);
        return _doubles.Count;
    }

    [Benchmark(OperationsPerInvoke = Adds)]
    public int AddCheckResult()
    {
        for (var i = 0; i < Adds; i++) _results.Add(_result);
        return _results.Count;
    }
}
