using Bunit;
using Monitoring.Client.Incidents;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Incidents;

public sealed class IncidentsPageTests : MonitoringTestContext
{
    public IncidentsPageTests()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api", "unhealthy"), Service(2, "db"));
        Http.Json("GET api/v1/incidents/active", List(Incident(9, "api is down")))
            .Json("GET api/v1/incidents", List(Incident(9, "api is down"), Incident(3, "db was down", "resolved", T0.AddDays(-1), T0.AddDays(-1).AddMinutes(5), T0.AddDays(-1).AddMinutes(5), serviceId: 2)));
    }

    [Fact]
    public void ListsActiveAndRecentIncidentsWithServiceNamesAndLinks()
    {
        var cut = Render<IncidentsPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#active-incidents-incident-9")));
        Assert.Equal("1", cut.Find("#active-count").GetAttribute("data-count"));
        Assert.Equal("incidents/9", cut.Find("#active-incidents-incident-9").GetAttribute("href"));
        var rows = cut.FindAll("#recent-incidents tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("db", rows[1].TextContent);
        Assert.Contains("Resolved", rows[1].TextContent);
        Assert.Contains("Investigating", rows[0].TextContent);
        Assert.Contains("Error", rows[0].TextContent);
    }

    [Fact]
    public void AManualIncidentListsEveryServiceItCovers()
    {
        Http.Json("GET api/v1/incidents/active", List(Incident(11, "checkout slow", serviceId: null).Replace("\"assignedTo\":null", "\"assignedTo\":null,\"serviceIds\":[1,2]")));

        var cut = Render<IncidentsPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#active-incidents-incident-11")));
        var links = cut.FindAll("#active-incidents tbody tr .service-link");
        Assert.Equal(["api", "db"], links.Select(l => l.TextContent));
        Assert.Equal(["services/1", "services/2"], links.Select(l => l.GetAttribute("href")));
    }

    [Fact]
    public void SaysWhenNothingIsOpen()
    {
        Http.Json("GET api/v1/incidents/active", "[]");

        var cut = Render<IncidentsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No open incidents", cut.Find("#active-incidents-empty").TextContent));
    }

    [Fact]
    public async Task AServiceStatusChangeReloadsTheLists()
    {
        var cut = Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#active-incidents-incident-9")));
        var before = Http.Count("GET api/v1/incidents/active");

        await Feed.PushAsync(Delta(2, Service(2, "db", "unhealthy")));

        cut.WaitForAssertion(() => Assert.True(Http.Count("GET api/v1/incidents/active") > before));
    }

    [Fact]
    public void AFailedLoadSaysSo()
    {
        Http.Status("GET api/v1/incidents/active", System.Net.HttpStatusCode.InternalServerError);

        var cut = Render<IncidentsPage>();

        cut.WaitForAssertion(() => Assert.Contains("HTTP 500", cut.Find("#incidents-error").TextContent));
    }
}
