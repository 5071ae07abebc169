using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Pages;
using Monitoring.Client.Shared.Charts;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Pages;

public sealed class ServiceDetailPageTests : MonitoringTestContext
{
    private readonly BunitJSModuleInterop _charts;

    public ServiceDetailPageTests()
    {
        _charts = JSInterop.SetupModule(ChartModule.Path);
        _charts.Setup<bool>(ChartModule.Create, _ => true).SetResult(true);
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        Http.Json("GET api/v1/services/1", Detail("healthy", 800, Check(T0, ms: 42), Check(T0.AddSeconds(-30), "unhealthy", 900, "HTTP 503", 503), Check(T0.AddSeconds(-60), ms: 40)))
            .Json("GET api/v1/services/1/incidents", List(Incident(7, recovered: T0.AddMinutes(-5), resolved: T0.AddMinutes(-5), status: "resolved")))
            .Json("GET api/v1/services/1/uptime", Uptime("7d", 99.9))
            .Json("GET api/v1/services/1/uptime?period=24h", Uptime("24h", 99.95, 1))
            .Json("GET api/v1/account/me", Me("Viewer"));
    }

    private IRenderedComponent<ServiceDetailPage> RenderPage() =>
        Render<ServiceDetailPage>(p => p.Add(x => x.Id, 1));

    [Fact]
    public void ShowsTheServiceWithItsStatusHistoryUptimeAndIncidents()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("api", cut.Find("#service-title").TextContent));
        Assert.Equal("Healthy", cut.Find("#service-status").TextContent.Trim());
        Assert.Equal("800 ms", cut.Find("#service-threshold").TextContent);
        // Oldest first, one cell per check, each with text.
        var cells = cut.FindAll("#status-history .history-cell");
        Assert.Equal(["healthy", "unhealthy", "healthy"], cells.Select(c => c.GetAttribute("data-status")));
        Assert.Contains("Unhealthy", cells[1].TextContent);
        Assert.Contains("HTTP 503", cells[1].GetAttribute("title"));
        Assert.Contains("Last 3 checks: 1 unhealthy, 2 healthy", cut.Find("#status-history").TextContent);
        Assert.Equal("99.95 %", cut.Find("#uptime-24h-percent").TextContent);
        Assert.Equal("99.9 %", cut.Find("#uptime-90d-percent").TextContent);
        Assert.Contains("api is down", cut.Find("#service-incident-7").TextContent);
        Assert.Equal("incidents/7", cut.Find("#service-incident-7 a").GetAttribute("href"));
    }

    [Fact]
    public void TheLatencyChartStartsFromTheHistoryWithTheThreshold()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#latency-chart")));

        var create = _charts.Invocations[ChartModule.Create].Single(i => (string?)i.Arguments[0] == "latency-chart");
        var options = (System.Text.Json.Nodes.JsonObject)create.Arguments[1]!;
        Assert.Equal([40d, 900d, 42d], options["series"]![0]!["data"]!.AsArray().Select(p => (double)p![1]!));
        Assert.Equal(800, (double)options["annotations"]!["yaxis"]![0]!["y"]!);
    }

    [Fact]
    public async Task ALiveCheckAppendsAPointAndACellAndUpdatesTheStatus()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("#status-history .history-cell").Count));

        await Feed.PushAsync(Delta(2, Service(1, "api", "unhealthy", latencyMs: 1500) with { LastCheckedAt = T0.AddSeconds(30), Message = "HTTP 500" }));

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#status-history .history-cell").Count));
        Assert.Equal("unhealthy", cut.FindAll("#status-history .history-cell")[^1].GetAttribute("data-status"));
        Assert.Equal("Unhealthy", cut.Find("#service-status").TextContent.Trim());
        Assert.Equal("HTTP 500", cut.Find("#service-message").TextContent);
        var append = _charts.VerifyInvoke(ChartModule.AppendPoints);
        Assert.Equal("latency-chart", append.Arguments[0]);
        Assert.Equal(1500, (double)((System.Text.Json.Nodes.JsonArray)append.Arguments[2]!)[0]![1]!);
        // A status change may open an incident: the list is fetched again.
        cut.WaitForAssertion(() => Assert.Equal(2, Http.Count("GET api/v1/services/1/incidents")));
    }

    [Fact]
    public async Task ADeltaWithoutANewCheckAddsNothing()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("#status-history .history-cell").Count));

        await Feed.PushAsync(Delta(2, Service(1, "api renamed")));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("#status-history .history-cell").Count));
        _charts.VerifyNotInvoke(ChartModule.AppendPoints);
    }

    [Fact]
    public void ViewersDontGetTheCheckNowButton()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#service-title")));
        Assert.Empty(cut.FindAll("#check-now"));
    }

    [Fact]
    public void OperatorsRunACheckAndSeeItsResult()
    {
        Http.Json("GET api/v1/account/me", Me("Operator"))
            .Json("POST api/v1/services/1/check", Check(T0.AddSeconds(10), "degraded", 950, "slower than 800 ms"));
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#check-now")));

        cut.Find("#check-now").Click();

        cut.WaitForAssertion(() => Assert.Equal("degraded", cut.Find("#check-result").GetAttribute("data-status")));
        Assert.Contains("Degraded, 950 ms — slower than 800 ms", cut.Find("#check-result").TextContent);
        Assert.Equal(4, cut.FindAll("#status-history .history-cell").Count);
        Assert.Equal(1, Http.Count("POST api/v1/services/1/check"));
    }

    [Fact]
    public void ACheckThatIsRefusedSaysWhy()
    {
        Http.Json("GET api/v1/account/me", Me("Admin")).Status("POST api/v1/services/1/check", System.Net.HttpStatusCode.Forbidden);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#check-now")));

        cut.Find("#check-now").Click();

        cut.WaitForAssertion(() => Assert.Contains("Only operators and admins", cut.Find("#check-error").TextContent));
    }

    [Fact]
    public void AnUnknownServiceSaysSo()
    {
        var cut = Render<ServiceDetailPage>(p => p.Add(x => x.Id, 99));

        cut.WaitForAssertion(() => Assert.Contains("Service 99 does not exist", cut.Find("#service-not-found").TextContent));
    }

    [Fact]
    public void ServiceNamesAndMessagesAreTextNotMarkup()
    {
        Http.Json("GET api/v1/services/1", Detail("healthy", null, Check(T0, message: "<b>bold</b>")).Replace("\"name\":\"api\"", "\"name\":\"<img src=x>\""));
        Feed.Snapshot = Snapshot(1);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("<img src=x>", cut.Find("#service-title").TextContent));
        Assert.Empty(cut.FindAll("#service-title img, .history-cell b"));
    }
}
