using Bunit;
using Monitoring.Client.Pages.Overview;
using static Monitoring.Client.Tests.ApiData;

namespace Monitoring.Client.Tests.Pages.Overview;

public sealed class ActiveIncidentsTests : MonitoringTestContext
{
    private const string Route = "GET api/v1/incidents?status=active&limit=11";

    [Fact]
    public void AsksOnlyForTheNewestFew_AndLinksToTheRestWhenThereAreMore()
    {
        Http.Json(Route, List([.. Enumerable.Range(1, ActiveIncidents.MaxShown + 1).Select(i => Incident(100 - i, $"incident {i}"))]));

        var cut = Render<ActiveIncidents>();

        cut.WaitForAssertion(() => Assert.Equal(ActiveIncidents.MaxShown, cut.FindAll("#active-incidents-list li").Count));
        Assert.Equal("incident 1", cut.Find("#active-incidents-list li a").TextContent);
        Assert.Equal("incidents", cut.Find("#active-incidents-more").GetAttribute("href"));
        Assert.Equal(0, Http.Count("GET api/v1/incidents/active"));
        Assert.True(Http.Count(Route) >= 1);
    }

    [Fact]
    public void NoMoreLink_WhenAllFit()
    {
        Http.Json(Route, List(Incident(7, "db slow")));

        var cut = Render<ActiveIncidents>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#active-incidents-list li")));
        Assert.Empty(cut.FindAll("#active-incidents-more"));
    }
}
