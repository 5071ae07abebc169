using Monitoring.Core.Metrics;
using Monitoring.Core.Realtime;

namespace Monitoring.Web.Realtime;

/// <summary>
/// Hands a coalesced batch of latest metric values to the <c>metric:{name}</c> groups: one
/// message per watched name, with that group's own sequence. Names nobody watches cost nothing.
/// </summary>
public sealed class MetricFanout(HubGroups groups, GroupSender sender, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);

    /// <summary>Messages sent (one per watched name in the batch).</summary>
    public int Publish(IReadOnlyList<MetricPoint> points)
    {
        if (points.Count == 0) return 0;
        var sentAt = time.GetUtcNow();
        var sent = 0;
        foreach (var byName in points.GroupBy(p => p.Name, StringComparer.Ordinal))
        {
            var group = HubGroups.MetricGroup(byName.Key);
            long seq;
            lock (_lock)
            {
                if (!groups.HasMembers(group))
                {
                    _sequences.Remove(byName.Key);
                    continue;
                }
                seq = _sequences.GetValueOrDefault(byName.Key) + 1;
                _sequences[byName.Key] = seq;
            }
            sender.Send(group, MonitoringHubContract.MetricsChanged, new MetricsDelta(seq, [.. byName], sentAt));
            sent++;
        }
        return sent;
    }
}
