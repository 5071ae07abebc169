using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Alerts;
using MudBlazor;
using static Monitoring.Client.Tests.Alerts.AlertsData;

namespace Monitoring.Client.Tests.Alerts;

public sealed class AlertsPageTests : AlertsTestContext
{
    private const string List = AlertsApi.Alerts;

    public AlertsPageTests()
    {
        Api.Json("GET", List, new[]
        {
            Alert(5, incidentId: 12),
            Alert(6, state: "pending", severity: "warning", rule: "Disk filling", acknowledgedBy: "bob", silenced: true),
            Alert(7, state: "resolved", severity: "info", rule: "Latency", serviceId: null, suppressed: true, suppressedByIncidentId: 11),
        });
    }

    [Fact]
    public void ListsAlertsWithTheirStatusInWordsAndIcons()
    {
        var cut = RenderWithProviders<AlertsPage>();

        cut.WaitForAssertion(() => Assert.Equal("CPU high", cut.Find("#alert-rule-5").TextContent));
        Assert.Equal("Critical", cut.Find("#alert-severity-5").TextContent.Trim());
        Assert.NotEmpty(cut.Find("#alert-severity-5").QuerySelectorAll("svg"));
        Assert.Equal("Firing", cut.Find("#alert-state-5").TextContent.Trim());
        Assert.NotEmpty(cut.Find("#alert-state-5").QuerySelectorAll("svg"));
        Assert.Equal("Pending", cut.Find("#alert-state-6").TextContent.Trim());
        Assert.Equal("Resolved", cut.Find("#alert-state-7").TextContent.Trim());
        Assert.Equal("services/3", cut.Find("#alert-service-5").GetAttribute("href"));
        Assert.Equal("checkout", cut.Find("#alert-service-5").TextContent);
        Assert.Equal("incidents/12", cut.Find("#alert-incident-5").GetAttribute("href"));
        Assert.Contains("by bob", cut.Find("#alert-ack-6").TextContent);
        Assert.Contains("not yet", cut.Find("#alert-ack-5").TextContent);
        Assert.Contains("Silenced", cut.Find("#alert-flags-6").TextContent);
        Assert.Contains("Suppressed", cut.Find("#alert-flags-7").TextContent);
        Assert.Contains("by incident #11", cut.Find("#alert-flags-7").TextContent);
        Assert.Equal("10 min ago", cut.Find("[data-alert-id='5']").ParentElement!.QuerySelector("time")!.TextContent);
        Assert.Equal("5", cut.Find("[data-alert-id='5']").GetAttribute("data-alert-id"));
        Assert.Equal("/api/v1/alerts?activeOnly=true&limit=200", Assert.Single(Api.RequestsTo("GET", List)).PathAndQuery);
    }

    [Fact]
    public void AcknowledgeIsOfferedOnlyForUnacknowledgedOpenAlertsAndResolveOnlyForOpenOnes()
    {
        var cut = RenderWithProviders<AlertsPage>();

        cut.WaitForElement("[data-testid='ack-5']");
        Assert.Empty(cut.FindAll("[data-testid='ack-6']"));
        Assert.Empty(cut.FindAll("[data-testid='ack-7']"));
        Assert.NotNull(cut.Find("[data-testid='resolve-5']"));
        Assert.NotNull(cut.Find("[data-testid='resolve-6']"));
        Assert.Empty(cut.FindAll("[data-testid='resolve-7']"));
    }

    [Fact]
    public async Task FiltersPassTheRightQueryString()
    {
        var cut = RenderWithProviders<AlertsPage>();
        cut.WaitForElement("#alert-rule-5");
        cut.WaitForAssertion(() => Assert.Contains("checkout", cut.Markup));

        var active = cut.FindComponent<MudSwitch<bool>>();
        await active.InvokeAsync(() => active.Instance.ValueChanged.InvokeAsync(false));
        var selects = cut.FindComponents<MudSelect<string>>();
        var state = selects.Single(s => s.Instance.Label == "State");
        await state.InvokeAsync(() => state.Instance.ValueChanged.InvokeAsync("firing"));
        var severity = selects.Single(s => s.Instance.Label == "Severity");
        await severity.InvokeAsync(() => severity.Instance.ValueChanged.InvokeAsync("critical"));
        var service = cut.FindComponent<MudSelect<long>>();
        await service.InvokeAsync(() => service.Instance.ValueChanged.InvokeAsync(3L));

        var asked = Api.RequestsTo("GET", List).Select(r => r.PathAndQuery).ToList();
        Assert.Equal(
        [
            "/api/v1/alerts?activeOnly=true&limit=200",
            "/api/v1/alerts?activeOnly=false&limit=200",
            "/api/v1/alerts?activeOnly=false&state=firing&limit=200",
            "/api/v1/alerts?activeOnly=false&severity=critical&state=firing&limit=200",
            "/api/v1/alerts?activeOnly=false&severity=critical&serviceId=3&state=firing&limit=200",
        ], asked);

        await service.InvokeAsync(() => service.Instance.ValueChanged.InvokeAsync(0L));
        Assert.Equal("/api/v1/alerts?activeOnly=false&severity=critical&state=firing&limit=200", Api.RequestsTo("GET", List).Last().PathAndQuery);
    }

    [Fact]
    public void FiltersCanComeFromTheAddress()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("alerts?serviceId=4&severity=Warning&state=bogus&activeOnly=false");

        RenderWithProviders<AlertsPage>();

        Assert.Equal("/api/v1/alerts?activeOnly=false&severity=warning&serviceId=4&limit=200", Assert.Single(Api.RequestsTo("GET", List)).PathAndQuery);
    }

    [Fact]
    public void AcknowledgeCallsTheEndpointAndTheRowUpdates()
    {
        Api.Json("POST", $"{List}/5/acknowledge", Alert(5, incidentId: 12, acknowledgedBy: "admin"));
        var cut = RenderWithProviders<AlertsPage>();
        cut.WaitForElement("[data-testid='ack-5']");
        // What the server lists from now on.
        Api.Json("GET", List, new[] { Alert(5, incidentId: 12, acknowledgedBy: "admin") });

        cut.Find("[data-testid='ack-5']").Click();

        cut.WaitForAssertion(() => Assert.Contains("by admin", cut.Find("#alert-ack-5").TextContent));
        Assert.Empty(cut.FindAll("[data-testid='ack-5']"));
        Assert.NotNull(cut.Find("[data-testid='resolve-5']"));
        Assert.Single(Api.RequestsTo("POST", $"{List}/5/acknowledge"));
        Assert.Contains("Acknowledged: CPU high.", cut.Find(".mud-snackbar").TextContent);
        Assert.Equal(2, Api.RequestsTo("GET", List).Count());
    }

    [Fact]
    public void ResolveCallsTheEndpointAndTheRowShowsResolved()
    {
        Api.Json("POST", $"{List}/5/resolve", Alert(5, state: "resolved"));
        var cut = RenderWithProviders<AlertsPage>();
        cut.WaitForElement("[data-testid='resolve-5']");
        Api.Json("GET", List, new[] { Alert(5, state: "resolved") });

        cut.Find("[data-testid='resolve-5']").Click();

        cut.WaitForAssertion(() => Assert.Equal("Resolved", cut.Find("#alert-state-5").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid='resolve-5']"));
        Assert.Empty(cut.FindAll("[data-testid='ack-5']"));
        Assert.Single(Api.RequestsTo("POST", $"{List}/5/resolve"));
    }

    [Fact]
    public void AConflictShowsTheServersReason()
    {
        Api.Problem("POST", $"{List}/5/acknowledge", HttpStatusCode.Conflict, "Alert 5 is already resolved.");
        var cut = RenderWithProviders<AlertsPage>();
        cut.WaitForElement("[data-testid='ack-5']");
        Api.Json("GET", List, new[] { Alert(5, state: "resolved") });

        cut.Find("[data-testid='ack-5']").Click();

        cut.WaitForAssertion(() => Assert.Contains("Acknowledging \"CPU high\" failed: Alert 5 is already resolved.", cut.Find(".mud-snackbar").TextContent));
        Assert.Contains("mud-alert-filled-error", cut.Find(".mud-snackbar").ClassName);
        // The list was reloaded, so the row tells the truth now.
        cut.WaitForAssertion(() => Assert.Equal("Resolved", cut.Find("#alert-state-5").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid='ack-5']"));
    }

    [Fact]
    public async Task RefreshesEveryTenSecondsAndStopsWhenClosed()
    {
        var cut = RenderWithProviders<AlertsPage>();
        cut.WaitForElement("#alert-rule-5");
        Api.Json("GET", List, new[] { Alert(8, rule: "Memory high") });

        Time.Advance(AlertsPage.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Equal("Memory high", cut.Find("#alert-rule-8").TextContent));
        Assert.Equal(2, Api.RequestsTo("GET", List).Count());

        await DisposeComponentsAsync();
        Time.Advance(AlertsPage.RefreshInterval * 3);
        Assert.Equal(2, Api.RequestsTo("GET", List).Count());
    }

    [Fact]
    public void AFailedLoadSaysSoAndKeepsTheRows()
    {
        var cut = RenderWithProviders<AlertsPage>();
        cut.WaitForElement("#alert-rule-5");
        Api.Problem("GET", List, HttpStatusCode.ServiceUnavailable, "Store busy.");

        Time.Advance(AlertsPage.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Contains("Loading alerts failed: Store busy.", cut.Find("#alerts-error").TextContent));
        Assert.NotNull(cut.Find("#alert-rule-5"));
    }

    [Fact]
    public void AViewerSeesTheAlertsButNoButtons()
    {
        Api.Json("GET", AdminData.Me, AdminData.ViewerAccount());

        var cut = RenderWithProviders<AlertsPage>();

        cut.WaitForElement("#alert-rule-5");
        cut.WaitForAssertion(() => Assert.Contains("vera", Services.GetRequiredService<Monitoring.Client.Account.CurrentUser>().Name));
        Assert.Empty(cut.FindAll("[data-testid^='ack-']"));
        Assert.Empty(cut.FindAll("[data-testid^='resolve-']"));
    }

    [Fact]
    public void NoActiveAlertsSaysSo()
    {
        Api.Json("GET", List, Array.Empty<object>());

        var cut = RenderWithProviders<AlertsPage>();

        cut.WaitForAssertion(() => Assert.Equal("No active alerts: nothing is firing.", cut.Find("#alerts-empty").TextContent));
    }
}
