using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Live;
using Monitoring.Core.Realtime;
using static Monitoring.Client.Tests.AlertData;

namespace Monitoring.Client.Tests.Live;

public sealed class AlertStoreTests : MonitoringTestContext
{
    private AlertStore AlertStore => Services.GetRequiredService<AlertStore>();

    private async Task<AlertStore> StartedAsync()
    {
        var store = AlertStore;
        await store.StartAsync();
        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);
        return store;
    }

    [Fact]
    public async Task SnapshotThenDeltasNewestFirst()
    {
        LiveFeed.AlertsSnapshot = new AlertsSnapshot(5, [Alert(1, minute: 1), Alert(2, minute: 2)]);
        var store = await StartedAsync();
        await Eventually.WaitAsync(() => store.HasSnapshot);

        await LiveFeed.PushAlertsAsync(new AlertDelta(6, [Alert(3, "critical", minute: 3)]));
        await LiveFeed.PushAlertsAsync(new AlertDelta(7, [Alert(1, state: "resolved", minute: 4)]));

        Assert.Equal([1L, 3, 2], store.GetAlerts().Select(a => a.Id));
        Assert.Equal("resolved", store.GetAlerts()[0].State);
        Assert.Equal(1, store.CriticalCount);
        Assert.Equal(7, store.Sequence);
    }

    [Fact]
    public async Task AGapFetchesANewSnapshot()
    {
        LiveFeed.AlertsSnapshot = new AlertsSnapshot(1, [Alert(1)]);
        var store = await StartedAsync();
        await Eventually.WaitAsync(() => store.HasSnapshot);
        LiveFeed.AlertsSnapshot = new AlertsSnapshot(9, [Alert(1), Alert(9, minute: 9)]);

        await LiveFeed.PushAlertsAsync(new AlertDelta(3, [Alert(3)]));

        await Eventually.WaitAsync(() => store.Sequence == 9);
        Assert.Equal(2, LiveFeed.AlertsSnapshotRequests);
        Assert.Equal([9L, 1], store.GetAlerts().Select(a => a.Id));
    }

    [Fact]
    public async Task CapsDismissesAndClears()
    {
        Services.Configure<LiveOptions>(o => o.MaxAlerts = 3);
        var store = await StartedAsync();
        await Eventually.WaitAsync(() => store.HasSnapshot);
        for (var i = 1; i <= 5; i++) await LiveFeed.PushAlertsAsync(new AlertDelta(i, [Alert(i, "critical", minute: i)]));

        Assert.Equal([5L, 4, 3], store.GetAlerts().Select(a => a.Id));
        store.Dismiss(4);
        Assert.Equal([5L, 3], store.GetAlerts().Select(a => a.Id));
        Assert.Equal(2, store.CriticalCount);

        // A dismissed alert that changes again comes back.
        await LiveFeed.PushAlertsAsync(new AlertDelta(6, [Alert(4, "critical", minute: 10)]));
        Assert.Equal(4, store.GetAlerts()[0].Id);

        store.Clear();
        Assert.Empty(store.GetAlerts());
        Assert.Equal(0, store.CriticalCount);
    }

    [Fact]
    public async Task WithoutTheServerMethodItStillShowsDeltas()
    {
        LiveFeed.AlertsSnapshot = null;
        var store = await StartedAsync();
        await Eventually.WaitAsync(() => store.IsUnavailable);

        await LiveFeed.PushAlertsAsync(new AlertDelta(40, [Alert(1)]));
        await LiveFeed.PushAlertsAsync(new AlertDelta(41, [Alert(2, minute: 1)]));

        Assert.False(store.HasSnapshot);
        Assert.Equal([2L, 1], store.GetAlerts().Select(a => a.Id));
    }
}
