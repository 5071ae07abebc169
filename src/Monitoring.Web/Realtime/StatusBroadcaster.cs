using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;
using Monitoring.Web.Checks;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Realtime;

/// <summary>
/// Sends service changes, coalesced: every <c>CoalesceMs</c> the ids that changed are taken from
/// the state cache and sent as one delta to the overview group, and one delta per watched
/// service to its <c>service:{id}</c> group, each serialized once for its group. A burst of
/// thousands of results becomes a few messages a second per group. Sends go through
/// <see cref="GroupSender"/>, so a stalled browser never holds up the next tick.
/// </summary>
public sealed partial class StatusBroadcaster(
    ServiceRegistry registry,
    ServiceStateCache states,
    HubGroups groups,
    GroupSender sender,
    AppMetrics metrics,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<StatusBroadcaster> logger) : BackgroundService
{
    private readonly Lock _sequenceLock = new();
    // Sequence of each watched service's group; entries go when the group empties.
    private readonly Dictionary<long, long> _serviceSequences = [];
    private long _sequence;
    private int _clients;

    public void ClientConnected() => Interlocked.Increment(ref _clients);
    public void ClientDisconnected() => Interlocked.Decrement(ref _clients);

    public int ConnectedClients => Volatile.Read(ref _clients);

    public bool Exists(long id) => registry.TryGet(id, out _);

    /// <summary>The full state with the sequence number the next delta follows.</summary>
    public ServicesSnapshot Snapshot()
    {
        lock (_sequenceLock)
        {
            var list = registry.All.OrderBy(s => s.Id).Select(s => s.ToStatusDto(states.Get(s.Id))).ToList();
            return new ServicesSnapshot(_sequence, list);
        }
    }

    /// <summary>One service's state with the sequence its <c>service:{id}</c> deltas follow.</summary>
    public ServicesSnapshot ServiceSnapshot(long id)
    {
        lock (_sequenceLock)
        {
            var seq = _serviceSequences.GetValueOrDefault(id);
            _serviceSequences[id] = seq;
            IReadOnlyList<ServiceStatusDto> list = registry.TryGet(id, out var s) ? [s.ToStatusDto(states.Get(id))] : [];
            return new ServicesSnapshot(seq, list);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("monitoring_hub_connected_clients", "Browsers connected to the live hub.", () => Volatile.Read(ref _clients));
        metrics.Gauge("monitoring_hub_pending_changes", "Changed services waiting for the next delta.", () => states.DirtyCount);
        metrics.Gauge("monitoring_hub_groups", "Hub groups (service:{id}, metric:{name}) with members.", () => groups.GroupCount);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Realtime.CoalesceMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                Flush();
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
        }
    }

    public Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    private void Flush()
    {
        ServiceDelta delta;
        var perService = new List<(string Group, ServiceDelta Delta)>();
        // The snapshot and the delta take the same lock, so a snapshot's sequence always
        // describes exactly the changes taken before it.
        lock (_sequenceLock)
        {
            var dirty = states.TakeDirty();
            if (dirty.Count == 0) return;
            var sentAt = time.GetUtcNow();
            var changed = new List<ServiceStatusDto>(dirty.Count);
            var removed = new List<long>();
            foreach (var id in dirty)
            {
                ServiceStatusDto? dto = null;
                if (registry.TryGet(id, out var s)) changed.Add(dto = s.ToStatusDto(states.Get(id)));
                else removed.Add(id);

                var group = HubGroups.ServiceGroup(id);
                if (!groups.HasMembers(group))
                {
                    _serviceSequences.Remove(id);
                    continue;
                }
                var seq = _serviceSequences.GetValueOrDefault(id) + 1;
                _serviceSequences[id] = seq;
                perService.Add((group, dto is null ? new ServiceDelta(seq, [], [id], sentAt) : new ServiceDelta(seq, [dto], [], sentAt)));
            }
            delta = new ServiceDelta(++_sequence, changed, removed, sentAt);
        }
        sender.Send(MonitoringHubContract.OverviewGroup, MonitoringHubContract.ServicesChanged, delta);
        foreach (var (group, d) in perService) sender.Send(group, MonitoringHubContract.ServicesChanged, d);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcasting service changes failed")]
    private partial void LogFailed(Exception ex);
}
