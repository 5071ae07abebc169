using Bunit;
using Monitoring.Client.Live;
using Monitoring.Client.Pages;
using Monitoring.Client.Pages.Overview;
using Monitoring.Core.Realtime;
using static Monitoring.Client.Tests.AlertData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Pages.Overview;

public sealed class OverviewPageTests : MonitoringTestContext
{
    [Fact]
    public async Task TheStatusGridShowsATilePerServiceWithTextAndCountsWorstFirst()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api"), Service(2, "db", "unhealthy"), Service(3, "cache", "degraded"));
        var cut = Render<StatusGrid>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("#status-grid a.tile").Count));

        Assert.Equal("db: Unhealthy", cut.Find("a.tile[data-id='2']").GetAttribute("title"));
        Assert.Equal("db: Unhealthy", cut.Find("a.tile[data-id='2']").GetAttribute("aria-label"));
        Assert.Equal(["legend-unhealthy", "legend-degraded", "legend-unknown", "legend-paused", "legend-healthy"], cut.FindAll(".legend-item").Select(e => e.Id));
        Assert.Equal("1", cut.Find("#legend-unhealthy").GetAttribute("data-count"));

        await Feed.PushAsync(Delta(2, Service(2, "db")));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("#legend-unhealthy").GetAttribute("data-count")));
        Assert.Equal("db: Healthy", cut.Find("a.tile[data-id='2']").GetAttribute("title"));
    }

    [Fact]
    public async Task TheGridRendersThousandsOfTilesInStableBlocks()
    {
        Feed.Snapshot = Snapshot(1, [.. Enumerable.Range(1, 2_000).Select(i => Service(i, $"svc{i:D5}"))]);
        var cut = Render<StatusGrid>();
        cut.WaitForAssertion(() => Assert.Equal("2000", cut.Find("#status-grid").GetAttribute("data-count")));
        Assert.Equal(2_000, cut.FindAll("a.tile").Count);
        var blocks = cut.FindComponents<StatusTileBlock>();
        Assert.Equal(8, blocks.Count);
        var renders = blocks.Select(b => b.RenderCount).ToList();

        // A latency-only change renders no block; a status change renders only its own block.
        await Feed.PushAsync(Delta(2, Service(5, "svc00005", latencyMs: 999)));
        await Feed.PushAsync(Delta(3, Service(1500, "svc01500", "unhealthy")));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("#legend-unhealthy").GetAttribute("data-count")));
        cut.WaitForAssertion(() => Assert.Equal("svc01500: Unhealthy", cut.Find("a.tile[data-id='1500']").GetAttribute("title")));
        var after = blocks.Select(b => b.RenderCount).ToList();
        // svc01500 is the 1,500th by name: the last tile of block 5 (0-based).
        Assert.Equal([.. renders.Select((r, i) => i == 5 ? r + 1 : r)], after);
    }

    [Fact]
    public async Task TheAlertFeedShowsNewestFirstWithACriticalBadgeAndDismisses()
    {
        LiveFeed.AlertsSnapshot = new AlertsSnapshot(1, [Alert(1, "critical", minute: 1), Alert(2, "warning", minute: 2)]);
        var cut = RenderWithProviders<AlertFeed>();
        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);

        cut.WaitForAssertion(() => Assert.Equal(["alert-2", "alert-1"], cut.FindAll(".feed-item").Select(e => e.Id)));
        Assert.Equal("1", cut.Find("#alert-critical-count").GetAttribute("data-count"));
        Assert.Contains("Firing", cut.Find("#alert-1").TextContent);

        cut.Find("#alert-dismiss-1").Click();
        cut.WaitForAssertion(() => Assert.Equal(["alert-2"], cut.FindAll(".feed-item").Select(e => e.Id)));
        Assert.Equal("0", cut.Find("#alert-critical-count").GetAttribute("data-count"));

        cut.Find("#alert-clear").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#alert-feed-empty")));
        Assert.Equal("alerts", cut.Find("#alert-all-link").GetAttribute("href"));
    }

    [Fact]
    public async Task TheAlertFeedSaysSoWhenTheServerHasNoAlerts()
    {
        LiveFeed.AlertsSnapshot = null;
        var cut = RenderWithProviders<AlertFeed>();
        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);
        cut.WaitForAssertion(() => Assert.Contains("not available", cut.Find("#alert-feed-empty").TextContent));
    }

    [Fact]
    public async Task MetricCardsShowTheDefaultSeriesFigures()
    {
        var cut = RenderWithProviders<OverviewPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".metric-card").Count));
        Assert.Equal(MetricSelection.Defaults, LiveFeed.Joined);

        await LiveFeed.PushMetricsAsync(new MetricsDelta(1, [Point("host_cpu_usage_percent", 10, 1)]));
        await LiveFeed.PushMetricsAsync(new MetricsDelta(2, [Point("host_cpu_usage_percent", 30, 2)]));

        cut.WaitForAssertion(() =>
        {
            var card = cut.Find("#metric-card-host_cpu_usage_percent");
            Assert.Equal("30", card.QuerySelector("[data-field=current]")!.TextContent);
            Assert.Equal("20", card.QuerySelector("[data-field=avg]")!.TextContent);
            Assert.Equal("10", card.QuerySelector("[data-field=min]")!.TextContent);
            Assert.Equal("30", card.QuerySelector("[data-field=max]")!.TextContent);
            Assert.Equal("2", card.QuerySelector("[data-field=samples]")!.TextContent);
        });
    }

    [Fact]
    public void ThePickerAddsACardAndRemembersTheChoice()
    {
        var save = JSInterop.SetupVoid("localStorage.setItem", _ => true);
        var cut = RenderWithProviders<OverviewPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".metric-card").Count));

        cut.Find("#metric-picker-name").Input("host_load1");
        cut.Find("#metric-picker-add").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#metric-card-host_load1")));
        var call = Assert.Single(save.Invocations);
        Assert.Equal("host_cpu_usage_percent,host_memory_used_percent,host_load1", call.Arguments[1]);
    }

    [Fact]
    public async Task ActiveIncidentsLinkToTheirPages()
    {
        Http.Json("GET api/v1/incidents/active", ApiData.List(ApiData.Incident(7)));
        var cut = RenderWithProviders<ActiveIncidents>();
        cut.WaitForAssertion(() => Assert.Equal("incidents/7", cut.Find("#active-incident-7 a").GetAttribute("href")));
        await Task.CompletedTask;
    }
}
