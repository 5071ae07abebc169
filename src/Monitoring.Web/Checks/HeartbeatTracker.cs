using System.Collections.Concurrent;

namespace Monitoring.Web.Checks;

/// <summary>
/// The last push time of each heartbeat service (one entry per service, so bounded by the
/// registry). A service with no push yet is measured from process start, which gives a
/// freshly started server one interval of grace.
/// </summary>
public sealed class HeartbeatTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, long> _lastBeatMs = new();
    private readonly long _startedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Beat(long serviceId) => _lastBeatMs[serviceId] = time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Last push, or process start when none has arrived yet.</summary>
    public long LastBeatOrStartMs(long serviceId) => _lastBeatMs.TryGetValue(serviceId, out var at) ? at : _startedAtMs;

    public bool HasBeat(long serviceId) => _lastBeatMs.ContainsKey(serviceId);

    public void Forget(long serviceId) => _lastBeatMs.TryRemove(serviceId, out _);
}
