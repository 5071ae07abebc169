using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;
using Monitoring.Web.Checks;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Realtime;

/// <summary>
/// Sends service changes to the overview group, coalesced: every <c>CoalesceMs</c> the ids that
/// changed are taken from the state cache and sent as one delta, serialized once for the group.
/// A burst of thousands of results becomes a few messages a second.
/// </summary>
public sealed partial class StatusBroadcaster(
    IHubContext<MonitoringHub, IMonitoringClient> hub,
    ServiceRegistry registry,
    ServiceStateCache states,
    AppMetrics metrics,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<StatusBroadcaster> logger) : BackgroundService
{
    private readonly Lock _sequenceLock = new();
    private long _sequence;
    private int _clients;

    public void ClientConnected() => Interlocked.Increment(ref _clients);
    public void ClientDisconnected() => Interlocked.Decrement(ref _clients);

    /// <summary>The full state with the sequence number the next delta follows.</summary>
    public ServicesSnapshot Snapshot()
    {
        lock (_sequenceLock)
        {
            var list = registry.All.OrderBy(s => s.Id).Select(s => s.ToStatusDto(states.Get(s.Id))).ToList();
            return new ServicesSnapshot(_sequence, list);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("monitoring_hub_connected_clients", "Browsers connected to the live hub.", () => Volatile.Read(ref _clients));
        metrics.Gauge("monitoring_hub_pending_changes", "Changed services waiting for the next delta.", () => states.DirtyCount);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.Realtime.CoalesceMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
        }
    }

    public async Task FlushAsync()
    {
        ServiceDelta delta;
        // The snapshot and the delta take the same lock, so a snapshot's sequence always
        // describes exactly the changes taken before it.
        lock (_sequenceLock)
        {
            var dirty = states.TakeDirty();
            if (dirty.Count == 0) return;
            var changed = new List<ServiceStatusDto>(dirty.Count);
            var removed = new List<long>();
            foreach (var id in dirty)
            {
                if (registry.TryGet(id, out var s)) changed.Add(s.ToStatusDto(states.Get(id)));
                else removed.Add(id);
            }
            delta = new ServiceDelta(++_sequence, changed, removed);
        }
        await hub.Clients.Group(MonitoringHubContract.OverviewGroup).ServicesChanged(delta);
        metrics.BroadcastSent();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcasting service changes failed")]
    private partial void LogFailed(Exception ex);
}
