using Microsoft.AspNetCore.SignalR;
using Monitoring.Core.Realtime;

namespace Monitoring.Web.Realtime;

/// <summary>
/// The live hub. A client joins the overview group, asks for a snapshot, then applies deltas
/// whose sequence numbers follow the snapshot's; a gap means "ask for a snapshot again".
/// </summary>
public sealed class MonitoringHub(StatusBroadcaster broadcaster) : Hub<IMonitoringClient>
{
    public override async Task OnConnectedAsync()
    {
        broadcaster.ClientConnected();
        await Groups.AddToGroupAsync(Context.ConnectionId, MonitoringHubContract.OverviewGroup);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        broadcaster.ClientDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    public ServicesSnapshot GetServicesSnapshot() => broadcaster.Snapshot();
}
