using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Realtime;

public sealed class MonitoringHubTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _host = new MonitoringHost(_dir.Path);
        _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _target.DisposeAsync();
        _dir.Dispose();
    }

    private HubConnection Connect() => _host.ConnectHub();

    [Fact]
    public async Task SnapshotThenDeltasWithConsecutiveSequenceNumbers()
    {
        var client = _host.CreateClient();
        var id = await client.CreateServiceAsync(new { name = "live", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });

        var deltas = Channel.CreateBounded<ServiceDelta>(1000);
        await using var hub = Connect();
        hub.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, d => deltas.Writer.TryWrite(d));
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot);
        Assert.Contains(snapshot.Services, s => s.Id == id && s.Name == "live");

        // Take the target down: a delta says the service is unhealthy, and sequence numbers
        // continue one by one from the snapshot (deltas taken before the snapshot are older).
        await client.WaitForStatusAsync(id, "healthy");
        await _target.DownAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<ServiceDelta>();
        while (true)
        {
            var delta = await deltas.Reader.ReadAsync(cts.Token);
            if (delta.Sequence <= snapshot.Sequence) continue;
            seen.Add(delta);
            if (delta.Changed.Any(s => s.Id == id && s.Status == "unhealthy")) break;
        }
        for (var i = 0; i < seen.Count; i++) Assert.Equal(snapshot.Sequence + 1 + i, seen[i].Sequence);
    }

    [Fact]
    public async Task DeletedServicesArriveAsRemoved()
    {
        var client = _host.CreateClient();
        var id = await client.CreateServiceAsync(new { name = "gone", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100 });
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = Connect();
        hub.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, d => { if (d.Removed.Contains(id)) removed.TrySetResult(); });
        await hub.StartAsync();
        // Full-rate ServicesChanged deltas go to those who asked for the services snapshot.
        await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot);
        (await client.DeleteAsync($"/api/v1/services/{id}")).EnsureSuccessStatusCode();
        await removed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
