using Bunit;
using Monitoring.Client.Pages;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Pages;

public sealed class ServicesPageTests : MonitoringTestContext
{
    [Fact]
    public void RendersARowPerServiceFromTheSnapshot()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api", latencyMs: 123.4, uptime: 99.95), Service(2, "db", "unhealthy", latencyMs: null, uptime: null));

        var cut = Render<ServicesPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        var api = cut.Find("#service-row-1");
        Assert.Equal("healthy", api.GetAttribute("data-status"));
        Assert.Equal("api", cut.Find("#service-name-1").TextContent);
        Assert.Equal("Healthy", cut.Find("#service-status-1").TextContent.Trim());
        Assert.Equal("123 ms", cut.Find("#service-latency-1").TextContent);
        Assert.Equal("99.95 %", cut.Find("#service-uptime-1").TextContent);
        Assert.Equal("unhealthy", cut.Find("#service-status-2").GetAttribute("data-status"));
        Assert.Equal("—", cut.Find("#service-latency-2").TextContent);
        Assert.Equal("1", cut.Find("#status-count-healthy").GetAttribute("data-count"));
        Assert.Equal("1", cut.Find("#status-count-unhealthy").GetAttribute("data-count"));
        Assert.Equal("2", cut.Find("#status-count-total").GetAttribute("data-count"));
    }

    [Fact]
    public void ListsTheWorstStatusFirst()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "a-ok"), Service(2, "b-down", "unhealthy"), Service(3, "c-slow", "degraded"));

        var cut = Render<ServicesPage>();

        cut.WaitForAssertion(() => Assert.Equal(
            ["service-row-2", "service-row-3", "service-row-1"],
            cut.FindAll("tbody tr").Select(r => r.Id)));
    }

    [Fact]
    public async Task ADeltaChangesTheRowInPlace()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api"), Service(2, "db"));
        var cut = Render<ServicesPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        // Typed state of this page instance: it survives only if the page is updated, not re-created.
        cut.Find("#services-search").Input("api");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr")));
        var page = cut.Instance;

        await Feed.PushAsync(Delta(2, Service(1, "api", "unhealthy", latencyMs: 500)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Unhealthy", cut.Find("#service-status-1").TextContent.Trim());
            Assert.Equal("unhealthy", cut.Find("#service-row-1").GetAttribute("data-status"));
        });
        Assert.Equal("500 ms", cut.Find("#service-latency-1").TextContent);
        Assert.Equal("1", cut.Find("#status-count-unhealthy").GetAttribute("data-count"));
        Assert.Same(page, cut.Instance);
        Assert.Equal("api", cut.Find("#services-search").GetAttribute("value"));
    }

    [Fact]
    public async Task AGapInSequenceReloadsFromANewSnapshot()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        var cut = Render<ServicesPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr")));

        Feed.Snapshot = Snapshot(5, Service(1, "api", "degraded"), Service(2, "db"));
        await Feed.PushAsync(Delta(3, Service(1, "api", "unhealthy")));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        Assert.Equal(2, Feed.SnapshotRequests);
        Assert.Equal("degraded", cut.Find("#service-status-1").GetAttribute("data-status"));
    }

    [Fact]
    public void SearchFiltersByName()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "Payments API"), Service(2, "payments-db"), Service(3, "search"));
        var cut = Render<ServicesPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr").Count));

        cut.Find("#services-search").Input("PAYMENTS");
        cut.WaitForAssertion(() => Assert.Equal(["service-row-1", "service-row-2"], cut.FindAll("tbody tr").Select(r => r.Id).Order()));

        cut.Find("#services-search").Input("nothing-like-this");
        cut.WaitForAssertion(() => Assert.Contains("No service matches", cut.Find("#services-empty").TextContent));
        // Counts describe every service, not just the matching ones.
        Assert.Equal("3", cut.Find("#status-count-total").GetAttribute("data-count"));
    }

    [Fact]
    public void ShowsConnectingUntilTheFirstSnapshot()
    {
        Feed.ConnectOnStart = false;

        var cut = Render<ServicesPage>();

        Assert.NotNull(cut.Find("#services-loading"));
        Assert.Empty(cut.FindAll("#services-table"));
    }

    [Fact]
    public void RendersServiceNamesAsTextNotMarkup()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "<img src=x onerror=alert(1)><b>bold</b>"));

        var cut = Render<ServicesPage>();

        cut.WaitForAssertion(() => Assert.Equal("<img src=x onerror=alert(1)><b>bold</b>", cut.Find("#service-name-1").TextContent));
        Assert.Empty(cut.FindAll("#service-name-1 img, #service-name-1 b"));
    }

    [Fact]
    public void EachServiceLinksToItsDetailPage()
    {
        Feed.Snapshot = Snapshot(1, Service(7, "api"));

        var cut = Render<ServicesPage>();

        cut.WaitForAssertion(() => Assert.Equal("services/7", cut.Find("#service-name-7").GetAttribute("href")));
    }
}
