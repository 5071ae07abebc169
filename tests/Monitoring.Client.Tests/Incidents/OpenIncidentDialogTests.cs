using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Incidents;
using MudBlazor;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Incidents;

public sealed class OpenIncidentDialogTests : MonitoringTestContext
{
    public OpenIncidentDialogTests()
    {
        Services.AddScoped<IncidentWorkflowApi>();
        Feed.Snapshot = Snapshot(1, Service(1, "api"), Service(2, "db"));
        Http.Json("GET api/v1/incidents/active", "[]").Json("GET api/v1/incidents", "[]");
    }

    [Fact]
    public void TheServersValidationErrorsAppearUnderTheirFields()
    {
        Api.Problem("POST", "api/v1/incidents", HttpStatusCode.BadRequest, "The request is not valid.", new()
        {
            ["title"] = ["A title is required."],
            ["serviceIds"] = ["No service has id 7."],
        });
        var cut = RenderWithProviders<IncidentsPage>();

        cut.WaitForElement("#incident-open").Click();
        cut.WaitForElement("#open-incident-submit").Click();

        cut.WaitForAssertion(() => Assert.Contains("A title is required.", cut.Find("#new-incident-title-field").TextContent));
        Assert.Contains("No service has id 7.", cut.Find("#new-incident-services-field").TextContent);
        Assert.DoesNotContain("title is required", cut.Find("#new-incident-services-field").TextContent);
        Assert.Empty(cut.FindAll("#open-incident-error"));
        Assert.NotNull(cut.Find("#open-incident-submit"));
    }

    [Fact]
    public async Task OpeningSendsEveryFieldAndGoesToTheNewIncident()
    {
        Api.Json("POST", "api/v1/incidents", JsonDocument.Parse(Incident(12, "Checkout slow", serviceId: null)).RootElement.ToString(), HttpStatusCode.Created);
        var cut = RenderWithProviders<IncidentsPage>();

        cut.WaitForElement("#incident-open").Click();
        cut.WaitForElement("#new-incident-title").Input("Checkout slow");
        cut.Find("#new-incident-description").Input("p95 above 2 s");
        cut.Find("#new-incident-assignee").Input("ana");
        var severity = cut.FindComponents<MudSelect<string>>().Single();
        await cut.InvokeAsync(() => severity.Instance.ValueChanged.InvokeAsync("critical"));
        var services = cut.FindComponents<MudSelect<long>>().Single();
        await cut.InvokeAsync(() => services.Instance.SelectedValuesChanged.InvokeAsync(new HashSet<long> { 2, 1 }));
        cut.Find("#open-incident-submit").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/incidents/12", Services.GetRequiredService<NavigationManager>().Uri));
        var body = JsonDocument.Parse(Assert.Single(Api.RequestsTo("POST", "api/v1/incidents")).Body!).RootElement;
        Assert.Equal("Checkout slow", body.GetProperty("title").GetString());
        Assert.Equal("p95 above 2 s", body.GetProperty("description").GetString());
        Assert.Equal("critical", body.GetProperty("severity").GetString());
        Assert.Equal("ana", body.GetProperty("assignedTo").GetString());
        Assert.Equal([1L, 2L], body.GetProperty("serviceIds").EnumerateArray().Select(e => e.GetInt64()).Order());
        Assert.Empty(cut.FindAll("#open-incident-submit"));
    }

    [Fact]
    public void ViewersHaveNoOpenButton()
    {
        Api.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        var cut = RenderWithProviders<IncidentsPage>();

        cut.WaitForElement("#active-incidents");
        Assert.Empty(cut.FindAll("#incident-open"));
    }
}
