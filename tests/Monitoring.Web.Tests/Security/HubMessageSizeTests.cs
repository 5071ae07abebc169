using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

public sealed class HubMessageSizeTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<(HubConnection Hub, Task<Exception?> Closed)> ConnectAsync(IDictionary<string, string?>? settings = null)
    {
        _host = new MonitoringHost(_dir.Path, settings);
        var hub = SecurityTestCallers.Hub(_host);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += ex => { closed.TrySetResult(ex); return Task.CompletedTask; };
        await hub.StartAsync();
        return (hub, closed.Task);
    }

    [Fact]
    public async Task AMessageOverTheLimitClosesTheConnectionWithAnError()
    {
        var (hub, closed) = await ConnectAsync();
        await using var _ = hub;

        // 40 KB against the 32 KiB default: the server refuses to parse it and drops the connection.
        var send = hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot, new string('x', 40 * 1024));

        Assert.NotNull(await closed.WaitAsync(TimeSpan.FromSeconds(15)));
        await Assert.ThrowsAnyAsync<Exception>(() => send);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task TheLimitComesFromTheOptions()
    {
        var (hub, closed) = await ConnectAsync(new Dictionary<string, string?> { ["Monitoring:Abuse:MaxHubMessageBytes"] = "65536" });
        await using var _ = hub;

        // 40 KB fits now: the message is parsed and refused for its extra argument, and the connection lives on.
        await Assert.ThrowsAsync<HubException>(() =>
            hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot, new string('x', 40 * 1024)));
        Assert.NotNull(await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot));
        Assert.False(closed.IsCompleted);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }
}
