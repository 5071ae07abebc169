using System.Net;
using Bunit;
using Monitoring.Client.Pages;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Pages;

public sealed class ServicesPageEditingTests : MonitoringTestContext
{
    [Fact]
    public void ValidationMessagesFromTheApiAppearOnTheirFields()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        Api.Problem("POST", "api/v1/services", HttpStatusCode.BadRequest, "Validation failed",
            new Dictionary<string, string[]> { ["target"] = ["target must be an absolute http(s) URL."], ["intervalSeconds"] = ["intervalSeconds must be between 1 and 86400."] });
        var cut = RenderWithProviders<ServicesPage>();
        cut.WaitForAssertion(() => cut.Find("#service-add").Click());

        cut.WaitForAssertion(() => cut.Find("#service-form-name"));
        cut.Find("#service-form-name").Change("web");
        cut.Find("#service-form-target").Change("nope");
        cut.Find("#service-form-save").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("target must be an absolute http(s) URL.", cut.Markup);
            Assert.Contains("intervalSeconds must be between 1 and 86400.", cut.Markup);
        });
        Assert.Empty(cut.FindAll("#service-form-error"));
    }

    [Fact]
    public void PauseSendsEnabledFalse()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        Api.Json("PUT", "api/v1/services/1", new { id = 1 });
        var cut = RenderWithProviders<ServicesPage>();
        cut.WaitForAssertion(() => cut.Find("#service-pause-1").Click());
        cut.WaitForAssertion(() => Assert.Contains("Paused api.", cut.Markup));
    }

    [Fact]
    public void ViewersSeeNoEditingButtons()
    {
        Api.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        var cut = RenderWithProviders<ServicesPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#service-row-1")));
        Assert.Empty(cut.FindAll("#service-add"));
        Assert.Empty(cut.FindAll("#service-edit-1"));
    }
}
