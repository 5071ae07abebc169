using Monitoring.Core.Services;

namespace Monitoring.Core.Checks;

/// <summary>The outcome of one check of one service.</summary>
/// <param name="DueAtMs">The slot this check ran for (Unix ms); 0 for an on-demand check.</param>
/// <param name="StartedAtMs">When it started (Unix ms).</param>
/// <param name="Attempts">1 plus the retries spent confirming a failure.</param>
public sealed record CheckResult(
    long ServiceId,
    long DueAtMs,
    long StartedAtMs,
    ServiceStatus Status,
    double LatencyMs,
    string? Message,
    int? StatusCode = null,
    int Attempts = 1)
{
    public bool IsUp => Status is ServiceStatus.Healthy or ServiceStatus.Degraded;
}
