using System.Collections.Concurrent;
using Monitoring.Core.Metrics;
using Monitoring.Core.Realtime;

namespace Monitoring.Web.Realtime;

/// <summary>
/// Which hub groups each connection joined, and how many members each group has. Broadcasters
/// ask <see cref="HasMembers"/> before building a message, so a service nobody watches costs
/// nothing; the hub asks <see cref="TryJoin"/>, which caps the groups one connection may hold.
/// </summary>
public sealed class HubGroups
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _byConnection = [];
    private readonly ConcurrentDictionary<string, int> _members = new(StringComparer.Ordinal);

    public static string ServiceGroup(long id) => MonitoringHubContract.ServiceGroupPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string MetricGroup(string name) => MonitoringHubContract.MetricGroupPrefix + name;

    public static bool IsValidMetricName(string? name) => MetricNaming.IsValidMetricName(name);

    public bool HasMembers(string group) => _members.TryGetValue(group, out var n) && n > 0;

    /// <summary>Groups with at least one member that start with <paramref name="prefix"/>.</summary>
    public List<string> GroupsWithPrefix(string prefix) => [.. _members.Where(kv => kv.Value > 0 && kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Key)];

    public int GroupCount => _members.Count;

    public enum JoinResult { Joined, AlreadyMember, TooMany }

    public JoinResult TryJoin(string connectionId, string group, int maxPerConnection)
    {
        lock (_lock)
        {
            if (!_byConnection.TryGetValue(connectionId, out var groups)) _byConnection[connectionId] = groups = [];
            if (groups.Contains(group)) return JoinResult.AlreadyMember;
            if (groups.Count >= maxPerConnection) return JoinResult.TooMany;
            groups.Add(group);
            _members.AddOrUpdate(group, 1, (_, n) => n + 1);
            return JoinResult.Joined;
        }
    }

    public bool Leave(string connectionId, string group)
    {
        lock (_lock)
        {
            if (!_byConnection.TryGetValue(connectionId, out var groups) || !groups.Remove(group)) return false;
            Decrement(group);
            return true;
        }
    }

    public void Forget(string connectionId)
    {
        lock (_lock)
        {
            if (!_byConnection.Remove(connectionId, out var groups)) return;
            foreach (var group in groups) Decrement(group);
        }
    }

    public int CountFor(string connectionId)
    {
        lock (_lock) return _byConnection.TryGetValue(connectionId, out var g) ? g.Count : 0;
    }

    // Callers hold _lock.
    private void Decrement(string group)
    {
        if (_members.AddOrUpdate(group, 0, (_, n) => n - 1) <= 0) _members.TryRemove(group, out _);
    }
}
