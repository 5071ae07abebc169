using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;

namespace Monitoring.Web.Realtime;

/// <summary>
/// The live hub. Every client is in the overview group, which gets compact grid deltas
/// (<c>GridChanged</c>; the snapshot is <c>GET /api/v1/overview/grid</c>). A client that asks for the
/// full services snapshot joins the <c>services</c> group and gets full-rate <c>ServicesChanged</c>
/// deltas whose sequence numbers follow the snapshot's; a gap means "ask for a snapshot again".
/// Pages that need one service at full rate, or one metric's values, join <c>service:{id}</c> or
/// <c>metric:{name}</c> groups (validated, at most <c>MaxGroupsPerConnection</c> each).
/// </summary>
[Authorize(Policy = Policies.CanRead)]
public sealed class MonitoringHub(StatusBroadcaster broadcaster, HubGroups groups, IOptions<MonitoringOptions> options, SessionRevocation sessions) : Hub<IMonitoringClient>
{
    public override async Task OnConnectedAsync()
    {
        sessions.Track(Context);
        broadcaster.ClientConnected();
        await Groups.AddToGroupAsync(Context.ConnectionId, MonitoringHubContract.OverviewGroup);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Untrack(Context);
        groups.Forget(Context.ConnectionId);
        broadcaster.ClientDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Joins the <c>services</c> group (full-rate deltas), then returns the state those deltas follow.</summary>
    public async Task<ServicesSnapshot> GetServicesSnapshot()
    {
        // Join first: a delta sent before the join completes is in the snapshot taken after it.
        await JoinAsync(MonitoringHubContract.ServicesGroup);
        return broadcaster.Snapshot();
    }

    /// <summary>Joins <c>service:{id}</c> and returns that service's state with the sequence its deltas follow.</summary>
    public async Task<ServicesSnapshot> JoinService(long id)
    {
        if (!broadcaster.Exists(id)) throw new HubException($"Service {id} does not exist.");
        var group = HubGroups.ServiceGroup(id);
        await JoinAsync(group);
        return broadcaster.ServiceSnapshot(id);
    }

    public Task LeaveService(long id) => LeaveAsync(HubGroups.ServiceGroup(id));

    public Task JoinMetric(string name)
    {
        if (!HubGroups.IsValidMetricName(name)) throw new HubException("Not a valid metric name.");
        return JoinAsync(HubGroups.MetricGroup(name));
    }

    public Task LeaveMetric(string name) =>
        HubGroups.IsValidMetricName(name) ? LeaveAsync(HubGroups.MetricGroup(name)) : Task.CompletedTask;

    private async Task JoinAsync(string group)
    {
        switch (groups.TryJoin(Context.ConnectionId, group, options.Value.Realtime.MaxGroupsPerConnection))
        {
            case HubGroups.JoinResult.TooMany:
                throw new HubException($"At most {options.Value.Realtime.MaxGroupsPerConnection} groups per connection.");
            case HubGroups.JoinResult.Joined:
                await Groups.AddToGroupAsync(Context.ConnectionId, group);
                break;
        }
    }

    private async Task LeaveAsync(string group)
    {
        if (groups.Leave(Context.ConnectionId, group)) await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
    }
    public AlertsSnapshot GetAlertsSnapshot(Alerts.AlertHubPublisher alerts) => alerts.Snapshot();
}
