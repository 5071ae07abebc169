using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Incidents;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Incidents;

public sealed class IncidentDetailPageTests : MonitoringTestContext
{
    private const string Timeline = "api/v1/incidents/5/timeline";
    private const string Notes = "api/v1/incidents/5/notes";
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(5));

    public IncidentDetailPageTests()
    {
        // Time stands still unless a test moves it, so the page's refresh timer fires only when told.
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddScoped<IncidentWorkflowApi>();
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        Http.Json("GET api/v1/incidents/5", Incident(5, "api is down", "investigating", T0));
        Api.Json("GET", Timeline, Page(Entry(-60, "event", "log info from api", "deploy 1.4.2"), Entry(0, "check_failed", "api: 3 checks failed", "HTTP 503"),
            Entry(0, "status_changed", "api: healthy → unhealthy"), Entry(0, "incident_opened", "Incident opened automatically"),
            Entry(90, "incident_acknowledged", "Acknowledged by ana", actor: "ana")));
    }

    private static object Entry(int seconds, string type, string title, string? detail = null, string? actor = null) =>
        new { at = T0.AddSeconds(seconds), type, title, detail, actor, serviceId = 1, @ref = "x" };

    private static object Page(params object[] entries) => PageOf(entries.Length, entries);

    private static object PageOf(int total, object[] entries) =>
        new { incidentId = 5, from = T0.AddHours(-1), to = T0.AddMinutes(5), total, entries };

    [Fact]
    public void ShowsTheServerTimelineTypedTimestampedAndNewestLast()
    {
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("#incident-timeline li").Count));
        Assert.Equal("api is down", cut.Find("#incident-title").TextContent);
        Assert.Equal("api", cut.Find("#incident-service").TextContent);
        var entries = cut.FindAll("#incident-timeline li");
        Assert.Equal(["event", "check_failed", "status_changed", "incident_opened", "incident_acknowledged"], entries.Select(e => e.GetAttribute("data-type")));
        Assert.All(entries, e => Assert.NotNull(e.QuerySelector("time[datetime]")));
        Assert.All(entries, e => Assert.NotNull(e.QuerySelector(".dot svg")));
        Assert.Equal(["Event", "Check failed", "Status change", "Incident opened", "Acknowledged"], entries.Select(e => e.QuerySelector(".kind")!.TextContent));
        Assert.Contains("api: 3 checks failed", entries[1].TextContent);
        Assert.Contains("ana", entries[4].QuerySelector(".actor")!.TextContent);
        var request = Assert.Single(Api.RequestsTo("GET", Timeline));
        Assert.Contains("limit=200&offset=0", request.PathAndQuery);
    }

    [Fact]
    public void AddingANotePostsItAndTheNoteAppearsInTheTimeline()
    {
        Api.Json("POST", Notes, new { id = 1, incidentId = 5, author = "admin", text = "rolled back", at = T0.AddMinutes(3) }, HttpStatusCode.Created);
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("#incident-timeline li").Count));
        Api.Json("GET", Timeline, Page(Entry(0, "incident_opened", "Incident opened"), Entry(180, "note", "Note by admin", "rolled back", "admin")));

        cut.Find("#note-text").Input("rolled back");
        cut.Find("#add-note").Click();

        cut.WaitForAssertion(() => Assert.Equal("note", cut.FindAll("#incident-timeline li")[^1].GetAttribute("data-type")));
        Assert.Contains("rolled back", cut.FindAll("#incident-timeline li")[^1].TextContent);
        var post = Assert.Single(Api.RequestsTo("POST", Notes));
        Assert.Equal("rolled back", JsonDocument.Parse(post.Body!).RootElement.GetProperty("text").GetString());
        Assert.Equal("", cut.Find("#note-text").GetAttribute("value") ?? "");
    }

    [Fact]
    public void ARefusedNoteShowsTheServersMessageUnderTheBox()
    {
        Api.Problem("POST", Notes, HttpStatusCode.BadRequest, "The request is not valid.", new() { ["text"] = ["The note is empty."] });
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForElement("#add-note").Click();

        cut.WaitForAssertion(() => Assert.Contains("The note is empty.", cut.Find("#note-text-field").TextContent));
        Assert.Equal(5, cut.FindAll("#incident-timeline li").Count);
    }

    [Fact]
    public void SavingSendsOnlyTheChangedFields_AndARefusalShowsUnderTheField()
    {
        Api.Problem("PUT", "api/v1/incidents/5", HttpStatusCode.BadRequest, "The request is not valid.", new() { ["assignedTo"] = ["At most 200 characters."] });
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForElement("#edit-assignee").Input("ana");
        cut.Find("#incident-save").Click();

        cut.WaitForAssertion(() => Assert.Contains("At most 200 characters.", cut.Find("#edit-assignee-field").TextContent));
        var put = Assert.Single(Api.RequestsTo("PUT", "api/v1/incidents/5"));
        Assert.Equal("""{"assignedTo":"ana"}""", put.Body);
    }

    [Fact]
    public void AcknowledgeAsksTheServerAndShowsTheTime()
    {
        Api.Json("POST", "api/v1/incidents/5/acknowledge", JsonDocument.Parse(Incident(5, "api is down", "investigating", T0)).RootElement.ToString()
            .Replace("\"acknowledgedAt\":null", $"\"acknowledgedAt\":\"{Iso(T0.AddMinutes(2))}\""));
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));

        cut.WaitForElement("#incident-acknowledge").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#incident-acknowledge")));
        Assert.NotEqual("not yet", cut.Find("#incident-acknowledged").TextContent);
        Assert.Single(Api.RequestsTo("POST", "api/v1/incidents/5/acknowledge"));
    }

    [Fact]
    public void LoadMoreAsksForTheNextPage()
    {
        Api.Json("GET", Timeline, PageOf(201, [Entry(0, "incident_opened", "Incident opened")]));
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));

        cut.WaitForElement("#timeline-more").Click();

        cut.WaitForAssertion(() => Assert.Contains(Api.RequestsTo("GET", Timeline), r => r.PathAndQuery.Contains("offset=1")));
    }

    [Fact]
    public void ViewersSeeTheTimelineButNoWorkflowControls()
    {
        Api.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("#incident-timeline li").Count));
        Assert.Empty(cut.FindAll("#note-box"));
        Assert.Empty(cut.FindAll("#incident-edit"));
        Assert.Empty(cut.FindAll("#incident-acknowledge"));
    }

    [Fact]
    public void AnOpenIncidentIsReReadEveryFewSeconds_AndTheNewEntriesAppear()
    {
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("#incident-timeline li").Count));
        Api.Json("GET", Timeline, Page(Entry(0, "incident_opened", "Incident opened"), Entry(200, "alert_firing", "High error rate")));

        _time.Advance(IncidentDetailPage.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Equal(["incident_opened", "alert_firing"], cut.FindAll("#incident-timeline li").Select(e => e.GetAttribute("data-type"))));
        Assert.Equal("Alert firing", cut.FindAll("#incident-timeline .kind")[1].TextContent);
        Assert.Equal(2, Api.RequestsTo("GET", Timeline).Count());
    }

    [Fact]
    public void AResolvedIncidentIsNotPolled()
    {
        Http.Json("GET api/v1/incidents/5", Incident(5, "api is down", "resolved", T0, T0.AddMinutes(5), T0.AddMinutes(5)));
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("#incident-timeline li").Count));

        _time.Advance(IncidentDetailPage.RefreshInterval * 3);

        Assert.Single(Api.RequestsTo("GET", Timeline));
        Assert.Contains("to resolution", cut.Find("#timeline-note").TextContent);
    }

    [Fact]
    public void AnUnknownIncidentSaysSo()
    {
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 404));

        cut.WaitForAssertion(() => Assert.Contains("Incident 404 does not exist", cut.Find("#incident-not-found").TextContent));
    }
}
