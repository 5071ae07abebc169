using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// A push monitor: healthy while the last heartbeat (or, before the first one, process start)
/// is at most one interval old, plus the timeout as grace for a pusher that runs a bit late.
/// </summary>
public sealed class HeartbeatChecker(HeartbeatTracker heartbeats, TimeProvider time) : IChecker
{
    public ServiceType Type => ServiceType.Heartbeat;

    public Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        var ageMs = time.GetUtcNow().ToUnixTimeMilliseconds() - heartbeats.LastBeatOrStartMs(service.Id);
        var allowedMs = service.IntervalMs + service.TimeoutMs;
        var seconds = Math.Max(0, ageMs / 1000);
        CheckOutcome outcome;
        if (ageMs > allowedMs)
            outcome = CheckOutcome.Down(0, $"No heartbeat for {seconds} s (expected every {service.IntervalSeconds} s).");
        else if (!heartbeats.HasBeat(service.Id))
            outcome = CheckOutcome.Up(0, $"No heartbeat yet; waiting since start {seconds} s ago.");
        else
            outcome = CheckOutcome.Up(0, $"Last heartbeat {seconds} s ago.");
        return Task.FromResult(outcome);
    }
}
