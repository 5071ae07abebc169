using Bunit;
using Monitoring.Client.Incidents;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Incidents;

public sealed class IncidentDetailPageTests : MonitoringTestContext
{
    public IncidentDetailPageTests()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        Http.Json("GET api/v1/incidents/5", Incident(5, "api is down", "resolved", T0, T0.AddMinutes(5), T0.AddMinutes(5)))
            .Json("GET api/v1/services/1/history", List(
                Check(T0.AddMinutes(5)), Check(T0.AddMinutes(1), "unhealthy", 0, "HTTP 503", 503), Check(T0, "unhealthy", 0, "HTTP 503", 503),
                Check(T0.AddMinutes(-1)), Check(T0.AddMinutes(-2))));
    }

    [Fact]
    public void ShowsTheIncidentAndATypedTimestampedTimelineNewestLast()
    {
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));

        cut.WaitForAssertion(() => Assert.Equal("api is down", cut.Find("#incident-title").TextContent));
        Assert.Equal("api", cut.Find("#incident-service").TextContent);
        Assert.Equal("services/1", cut.Find("#incident-service").GetAttribute("href"));
        var entries = cut.FindAll("#incident-timeline li");
        Assert.Equal(
            ["ChecksPassed", "ChecksFailed", "IncidentStarted", "CheckRecovered", "Recovered", "Resolved"],
            entries.Select(e => e.GetAttribute("data-kind")));
        Assert.All(entries, e => Assert.NotNull(e.QuerySelector("time[datetime]")));
        Assert.Contains("2 checks failed", entries[1].TextContent);
        Assert.Contains("notes and alerts will appear here", cut.Find("#timeline-note").TextContent);
    }

    [Fact]
    public void AsksForTheChecksFromAnHourBeforeTheStartToResolution()
    {
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#incident-timeline li")));

        var request = Assert.Single(Http.Requests, r => r.StartsWith("GET api/v1/services/1/history", StringComparison.Ordinal));
        Assert.Contains("from=2026-11-24T07%3A00%3A00.000Z", request);
        Assert.Contains("to=2026-11-24T08%3A05%3A00.000Z", request);
        Assert.Contains("limit=1000", request);
    }

    [Fact]
    public void AnUnknownIncidentSaysSo()
    {
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 404));

        cut.WaitForAssertion(() => Assert.Contains("Incident 404 does not exist", cut.Find("#incident-not-found").TextContent));
    }
}
