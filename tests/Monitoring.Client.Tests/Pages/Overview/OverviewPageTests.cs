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
    public async Task TheStatusGridHandsGridJsItsHostThenFeedsItDeltasAsArrays()
    {
        var module = JSInterop.SetupModule(GridModule.Path);
        module.Setup<long>("load", _ => true).SetResult(3);
        var cut = Render<StatusGrid>();

        // The module gets the element to draw in, then the store loads (keeping a grid painted before the app started).
        cut.WaitForAssertion(() => Assert.Single(module.Invocations["attach"]));
        Assert.Equal("status-grid-host", cut.Find("div.status-grid-host").Id);
        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);
        cut.WaitForAssertion(() => Assert.Equal(false, Assert.Single(module.Invocations["load"]).Arguments[0]));

        await LiveFeed.PushGridAsync(new GridDelta(4, [new GridTile(2, "db", GridStatus.Unhealthy), new GridTile(5, "web", GridStatus.Healthy)], [9]));

        cut.WaitForAssertion(() =>
        {
            var apply = Assert.Single(module.Invocations["apply"]);
            Assert.Equal(4L, apply.Arguments[0]);
            Assert.Equal([2L, 5L], (long[])apply.Arguments[1]!);
            Assert.Equal(["db", "web"], (string[])apply.Arguments[2]!);
            Assert.Equal([GridStatus.Unhealthy, GridStatus.Healthy], (int[])apply.Arguments[3]!);
            Assert.Equal([9L], (IReadOnlyList<long>)apply.Arguments[4]!);
        });

        // A delta that skips one makes it load again, this time for real.
        await LiveFeed.PushGridAsync(new GridDelta(6, [], [1]));
        cut.WaitForAssertion(() => Assert.Equal(true, module.Invocations["load"].Last().Arguments[0]));
        Assert.Single(module.Invocations["apply"]);

        await DisposeComponentsAsync();
        Assert.Single(module.Invocations["detach"]);
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
        Http.Json("GET api/v1/incidents?status=active&limit=11", ApiData.List(ApiData.Incident(7)));
        var cut = RenderWithProviders<ActiveIncidents>();
        cut.WaitForAssertion(() => Assert.Equal("incidents/7", cut.Find("#active-incident-7 a").GetAttribute("href")));
        await Task.CompletedTask;
    }
}
