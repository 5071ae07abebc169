using System.Collections.Concurrent;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>The latest known state of one service.</summary>
public sealed record LiveState(ServiceStatus Status, long? LastCheckedAtMs, double? LatencyMs, string? Message, double? Uptime24h);

/// <summary>
/// Current status of every service, updated after each committed batch of results and read by
/// the list API, the report and the hub snapshot. Changed ids are collected for the broadcaster;
/// the set is bounded by the number of services.
/// </summary>
public sealed class ServiceStateCache
{
    private readonly ConcurrentDictionary<long, LiveState> _states = new();
    private readonly object _dirtyLock = new();
    private HashSet<long> _dirty = [];

    public LiveState Get(long id) => _states.TryGetValue(id, out var s) ? s : new LiveState(ServiceStatus.Unknown, null, null, null, null);

    public void Set(long id, LiveState state)
    {
        _states[id] = state;
        MarkDirty(id);
    }

    public void SetUptime(long id, double? uptime24h)
    {
        var current = Get(id);
        if (current.Uptime24h == uptime24h) return;
        _states[id] = current with { Uptime24h = uptime24h };
        MarkDirty(id);
    }

    public void Remove(long id)
    {
        _states.TryRemove(id, out _);
        MarkDirty(id);
    }

    public void MarkDirty(long id)
    {
        lock (_dirtyLock) _dirty.Add(id);
    }

    /// <summary>Takes the ids changed since the last call.</summary>
    public HashSet<long> TakeDirty()
    {
        lock (_dirtyLock)
        {
            if (_dirty.Count == 0) return [];
            var taken = _dirty;
            _dirty = [];
            return taken;
        }
    }

    public int DirtyCount { get { lock (_dirtyLock) return _dirty.Count; } }
}
