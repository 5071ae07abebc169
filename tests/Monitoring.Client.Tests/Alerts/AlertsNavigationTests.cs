using Bunit;
using Microsoft.AspNetCore.Components;
using Monitoring.Client.Alerts;
using Monitoring.Client.Layout;

namespace Monitoring.Client.Tests.Alerts;

public sealed class AlertsNavigationTests : AlertsTestContext
{
    [Fact]
    public void TheDrawerLinksToAlertsRulesAndSilences()
    {
        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p>page</p>"))));

        Assert.Equal("alerts", cut.Find("#nav-alerts").GetAttribute("href"));
        Assert.Equal("alerts/rules", cut.Find("#nav-alert-rules").GetAttribute("href"));
        Assert.Equal("alerts/silences", cut.Find("#nav-silences").GetAttribute("href"));
    }

    [Fact]
    public void EachAlertPageMarksItsOwnTab()
    {
        Api.Json("GET", AlertsApi.Alerts, Array.Empty<object>());

        var cut = RenderWithProviders<AlertsPage>();

        Assert.Equal("page", cut.Find("#tab-alerts").GetAttribute("aria-current"));
        Assert.Null(cut.Find("#tab-rules").GetAttribute("aria-current"));
        Assert.Equal("alerts/silences", cut.Find("#tab-silences").GetAttribute("href"));
    }
}
