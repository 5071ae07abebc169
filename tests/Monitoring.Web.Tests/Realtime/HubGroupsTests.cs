using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Realtime;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Realtime;

public sealed class HubGroupsTests : HostTests
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Monitoring:Realtime:MaxGroupsPerConnection"] = "3",
        ["Monitoring:Realtime:SendTimeoutMs"] = "4000",
    };

    private Task<long> CreateQuietServiceAsync(string name) =>
        Client.CreateServiceAsync(new { name, type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100 });

    [Fact]
    public async Task AServiceGroupGetsOnlyItsServiceWithItsOwnSequenceUntilLeft()
    {
        var watched = await CreateQuietServiceAsync("watched");
        var other = await CreateQuietServiceAsync("other");
        var states = Host.Services.GetRequiredService<ServiceStateCache>();
        var deltas = Channel.CreateUnbounded<ServiceDelta>();
        await using var hub = Host.ConnectHub();
        hub.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, d => deltas.Writer.TryWrite(d));
        await hub.StartAsync();
        // Also in the services group (full-rate deltas of every service), as the Services page is.
        await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot);

        var snapshot = await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.JoinService, watched);
        Assert.Equal(watched, Assert.Single(snapshot.Services).Id);

        states.Set(watched, new LiveState(ServiceStatus.Unhealthy, 1, 5, "down", null));
        states.Set(other, new LiveState(ServiceStatus.Unhealthy, 1, 5, "down", null));
        // The services group's delta carries both; the group delta only the watched one, next in its own sequence.
        var groupDelta = await NextAsync(deltas, d => d.Changed.Count == 1 && d.Changed[0].Id == watched && d.Changed[0].Status == "unhealthy");
        Assert.Equal(snapshot.Sequence + 1, groupDelta.Sequence);
        Assert.NotNull(groupDelta.SentAt);

        await hub.InvokeAsync(MonitoringHubContract.LeaveService, watched);
        states.Set(watched, new LiveState(ServiceStatus.Healthy, 2, 5, null, null));
        // Only the services group's copy arrives now (it also names the service); no single-service delta follows.
        var overview = await NextAsync(deltas, d => d.Changed.Any(s => s.Id == watched && s.Status == "healthy"));
        Assert.True(overview.Sequence > groupDelta.Sequence || overview.Changed.Count >= 1);
        states.Set(other, new LiveState(ServiceStatus.Healthy, 3, 5, null, null));
        await NextAsync(deltas, d => d.Changed.Any(s => s.Id == other && s.Status == "healthy"));
        Assert.False(deltas.Reader.TryRead(out var extra) && extra.Changed.Any(s => s.Id == watched), "a delta for a left group arrived");
    }

    [Fact]
    public async Task JoinsAreValidatedAndCappedPerConnection()
    {
        var id = await CreateQuietServiceAsync("one");
        await using var hub = Host.ConnectHub();
        await hub.StartAsync();

        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.JoinService, 999_999L));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(MonitoringHubContract.JoinMetric, "not a name{}"));

        await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.JoinService, id);
        await hub.InvokeAsync(MonitoringHubContract.JoinMetric, "cpu");
        await hub.InvokeAsync(MonitoringHubContract.JoinMetric, "cpu"); // joining twice counts once
        await hub.InvokeAsync(MonitoringHubContract.JoinMetric, "mem");
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(MonitoringHubContract.JoinMetric, "disk"));
        Assert.Contains("At most 3", error.Message);

        // Leaving frees a place; the connection stays usable throughout.
        await hub.InvokeAsync(MonitoringHubContract.LeaveMetric, "mem");
        await hub.InvokeAsync(MonitoringHubContract.JoinMetric, "disk");
        Assert.Equal(HubConnectionState.Connected, hub.State);

        var groups = Host.Services.GetRequiredService<HubGroups>();
        Assert.True(groups.HasMembers(HubGroups.MetricGroup("disk")));
        Assert.False(groups.HasMembers(HubGroups.MetricGroup("mem")));
        await hub.StopAsync();
        await Eventually.WaitAsync(() => Task.FromResult(groups.GroupCount), n => n == 0, TimeSpan.FromSeconds(10), "groups to empty after disconnect");
    }

    [Fact]
    public async Task AClientThatStopsReadingNeitherHoldsUpOthersNorStaysConnected()
    {
        var ids = new List<long>();
        for (var i = 0; i < 8; i++) ids.Add(await CreateQuietServiceAsync($"s{i}"));
        var states = Host.Services.GetRequiredService<ServiceStateCache>();
        var sender = Host.Services.GetRequiredService<GroupSender>();
        var broadcaster = Host.Services.GetRequiredService<StatusBroadcaster>();

        // A raw long-polling client: negotiates, polls once, sends the handshake, then never
        // polls again, so everything sent to it piles up in its server-side pipe.
        var raw = Host.CreateClient();
        var negotiate = await raw.PostAsync($"{MonitoringHubContract.Path}/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
        var url = $"{MonitoringHubContract.Path}?id={token}";
        (await raw.GetAsync(url)).EnsureSuccessStatusCode();
        (await raw.PostAsync(url, new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e", Encoding.UTF8))).EnsureSuccessStatusCode();
        // It asks for the services snapshot, which puts it in the group of full-rate deltas.
        (await raw.PostAsync(url, new StringContent("{\"type\":1,\"invocationId\":\"1\",\"target\":\"GetServicesSnapshot\",\"arguments\":[]}\u001e", Encoding.UTF8))).EnsureSuccessStatusCode();

        var received = Channel.CreateUnbounded<ServiceDelta>();
        await using var healthy = Host.ConnectHub();
        healthy.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, d => received.Writer.TryWrite(d));
        await healthy.StartAsync();
        await healthy.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot);
        await Eventually.WaitAsync(() => Task.FromResult(broadcaster.ConnectedClients), n => n == 2, TimeSpan.FromSeconds(10), "both clients to connect");

        // Each round changes every service with an 8 KB message: ~64 KB a delta, so the stalled
        // pipe fills after a round or two and the send to the services group waits on it.
        var big = new string('x', 8 * 1024);
        var round = 0;
        long lastSeq = 0;
        async Task RoundAsync()
        {
            round++;
            foreach (var id in ids) states.Set(id, new LiveState(ServiceStatus.Healthy, round, round, big + round, null));
            var d = await NextAsync(received, d => d.Changed.Any(s => s.LastCheckedAt?.ToUnixTimeMilliseconds() == round));
            if (lastSeq != 0) Assert.Equal(lastSeq + 1, d.Sequence);
            lastSeq = d.Sequence;
        }
        while (sender.InFlight == 0 && round < 100) await RoundAsync();
        Assert.True(sender.InFlight > 0, "the stalled client never held a send");

        // While a send still waits on the stalled member, the healthy client keeps getting every delta.
        for (var i = 0; i < 3; i++) await RoundAsync();
        Assert.True(sender.InFlight > 0 && broadcaster.ConnectedClients == 2, "the stalled client was dropped too early for this test to show anything");

        // At the send deadline SignalR aborts the stalled connection; the healthy one stays.
        await Eventually.WaitAsync(() => Task.FromResult(broadcaster.ConnectedClients), n => n == 1, TimeSpan.FromSeconds(20), "the stalled client to be dropped");
        Assert.Equal(HubConnectionState.Connected, healthy.State);
        await RoundAsync();
    }

    private static async Task<ServiceDelta> NextAsync(Channel<ServiceDelta> deltas, Func<ServiceDelta, bool> match)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var d = await deltas.Reader.ReadAsync(cts.Token);
            if (match(d)) return d;
        }
    }
}
