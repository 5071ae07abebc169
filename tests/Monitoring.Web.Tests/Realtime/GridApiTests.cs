using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Realtime;

/// <summary><c>GET /api/v1/overview/grid</c> and the overview group's compact <c>GridChanged</c> deltas.</summary>
public sealed class GridApiTests : IAsyncLifetime
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

    [Fact]
    public async Task TheGridListsEveryServiceByNameWithAStatusCodeAndNeedsSignIn()
    {
        var admin = _host.CreateClient();
        var b = await admin.CreateServiceAsync(new { name = "beta", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100, enabled = false });
        var a = await admin.CreateServiceAsync(new { name = "Alpha", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100, enabled = false });

        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateAnonymousClient().GetAsync(MonitoringHubContract.GridPath)).StatusCode);
        var viewer = await _host.SignedInClientAsync("grid-viewer", "Viewer");
        using var response = await viewer.GetAsync(MonitoringHubContract.GridPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());

        var grid = await response.Content.ReadFromJsonAsync<GridSnapshot>();
        Assert.NotNull(grid);
        Assert.Equal([a, b], grid.Ids);
        Assert.Equal(["Alpha", "beta"], grid.Names);
        Assert.Equal([GridStatus.Paused, GridStatus.Paused], grid.Statuses);
        Assert.True(grid.Sequence >= 0);
    }

    [Fact]
    public async Task GridDeltasCarryStatusChangesInSequenceAfterTheSnapshotButNotLatency()
    {
        var client = _host.CreateClient();
        var grid = Channel.CreateUnbounded<GridDelta>();
        var full = Channel.CreateUnbounded<ServiceDelta>();
        await using var hub = _host.ConnectHub();
        hub.On<GridDelta>(MonitoringHubContract.GridChanged, d => grid.Writer.TryWrite(d));
        await hub.StartAsync();
        // A second connection watches every service at full rate, as the Services page does.
        await using var services = _host.ConnectHub();
        services.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, d => full.Writer.TryWrite(d));
        await services.StartAsync();
        await services.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot);

        var snapshot = await client.GetFromJsonAsync<GridSnapshot>(MonitoringHubContract.GridPath);
        var id = await client.CreateServiceAsync(new { name = "live", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        await client.WaitForStatusAsync(id, "healthy");
        // Several more healthy results: each changes latency and check time, none the tile.
        var results = (await client.HistoryAsync(id)).Count;
        await Eventually.WaitAsync(() => client.HistoryAsync(id), h => h.Count >= results + 3, TimeSpan.FromSeconds(20), "three more results");
        await _target.DownAsync();
        await client.WaitForStatusAsync(id, "unhealthy");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<GridDelta>();
        while (!seen.Any(d => d.Changed.Any(t => t.Id == id && t.Status == GridStatus.Unhealthy)))
        {
            var delta = await grid.Reader.ReadAsync(cts.Token);
            if (delta.Sequence > snapshot!.Sequence) seen.Add(delta);
        }
        for (var i = 0; i < seen.Count; i++) Assert.Equal(snapshot!.Sequence + 1 + i, seen[i].Sequence);
        // Added (unknown or straight to healthy), healthy, unhealthy: at most one message per status the tile showed.
        var tiles = seen.SelectMany(d => d.Changed).Where(t => t.Id == id).ToList();
        Assert.InRange(tiles.Count, 2, 3);
        Assert.Equal(tiles.Count, tiles.Select(t => t.Status).Distinct().Count());
        Assert.All(tiles, t => Assert.Equal("live", t.Name));

        // The full-rate group had every result, latency included.
        var updates = 0;
        while (full.Reader.TryRead(out var d)) updates += d.Changed.Count(s => s.Id == id);
        Assert.True(updates >= 5, $"{updates} full updates");
    }

    [Fact]
    public async Task DeletedServicesLeaveTheGrid()
    {
        var client = _host.CreateClient();
        var id = await client.CreateServiceAsync(new { name = "gone", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100, enabled = false });
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = _host.ConnectHub();
        hub.On<GridDelta>(MonitoringHubContract.GridChanged, d =>
        {
            if (d.Removed.Contains(id)) removed.TrySetResult();
        });
        await hub.StartAsync();
        var before = await client.GetFromJsonAsync<GridSnapshot>(MonitoringHubContract.GridPath);
        Assert.Contains(id, before!.Ids);

        (await client.DeleteAsync($"/api/v1/services/{id}")).EnsureSuccessStatusCode();
        await removed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var after = await client.GetFromJsonAsync<GridSnapshot>(MonitoringHubContract.GridPath);
        Assert.DoesNotContain(id, after!.Ids);
    }
}
