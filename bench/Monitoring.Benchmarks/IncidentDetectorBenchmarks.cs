using BenchmarkDotNet.Attributes;
using Monitoring.Core.Checks;
using Monitoring.Core.Incidents;
using Monitoring.Core.Services;

namespace Monitoring.Benchmarks;

/// <summary>
/// The result writer applies the detector to every result inside its transaction, so its cost adds
/// to every batch. Two streams: all healthy (the common case) and flapping (runs of failures and
/// recoveries that open and close incidents).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class IncidentDetectorBenchmarks
{
    private const int Results = 1024;
    private CheckResult[] _healthy = [];
    private CheckResult[] _flapping = [];

    [GlobalSetup]
    public void Setup()
    {
        const long start = 1_795_000_000_000;
        _healthy = new CheckResult[Results];
        _flapping = new CheckResult[Results];
        for (var i = 0; i < Results; i++)
        {
            var at = start + i * 10_000L;
            _healthy[i] = new CheckResult(1, at, at + 1, ServiceStatus.Healthy, 3.2, null, 200);
            // 5 failures then 5 successes: with thresholds 3/2 every cycle opens and closes an incident.
            var status = i % 10 < 5 ? ServiceStatus.Unhealthy : ServiceStatus.Healthy;
            _flapping[i] = new CheckResult(1, at, at + 1, status, 3.2, status == ServiceStatus.Unhealthy ? "down" : null, status == ServiceStatus.Unhealthy ? 503 : 200);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Results)]
    public int ApplyHealthy() => Run(_healthy);

    [Benchmark(OperationsPerInvoke = Results)]
    public int ApplyFlapping() => Run(_flapping);

    private static int Run(CheckResult[] results)
    {
        var state = new IncidentDetectorState();
        var transitions = 0;
        foreach (var r in results)
        {
            switch (state.Apply(r, failureThreshold: 3, recoveryThreshold: 2))
            {
                case IncidentTransition.Open: state.OpenIncidentId = 1; transitions++; break;
                case IncidentTransition.Close: state.OpenIncidentId = null; transitions++; break;
            }
        }
        return transitions;
    }
}
