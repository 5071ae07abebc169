using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Monitoring.Core.Realtime;
using Monitoring.Web.Security;

namespace Monitoring.Web.Realtime;

/// <summary>
/// The live hub. A client joins the overview group, asks for a snapshot, then applies deltas
/// whose sequence numbers follow the snapshot's; a gap means "ask for a snapshot again".
/// </summary>
[Authorize(Policy = Policies.CanRead)]
public sealed class MonitoringHub(StatusBroadcaster broadcaster, SessionRevocation sessions) : Hub<IMonitoringClient>
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
        broadcaster.ClientDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    public ServicesSnapshot GetServicesSnapshot() => broadcaster.Snapshot();

    public AlertsSnapshot GetAlertsSnapshot(Alerts.AlertHubPublisher alerts) => alerts.Snapshot();
}
