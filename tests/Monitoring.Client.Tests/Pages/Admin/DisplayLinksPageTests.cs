using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Pages.Admin;
using static Monitoring.Client.Tests.AdminData;

namespace Monitoring.Client.Tests.Pages.Admin;

public sealed class DisplayLinksPageTests : MonitoringTestContext
{
    public DisplayLinksPageTests()
    {
        Api.Json("GET", DisplayLinks, new[] { DisplayLink(1, "NOC wall left"), DisplayLink(2, "Lobby", revoked: true) });
    }

    [Fact]
    public void ListsTheLinks()
    {
        var cut = RenderWithProviders<DisplayLinksPage>();

        cut.WaitForAssertion(() => Assert.Equal("NOC wall left", cut.Find("#display-link-name-1").TextContent));
        Assert.Contains("Revoked", cut.Find("#display-link-state-2").TextContent);
        Assert.Empty(cut.FindAll("#display-link-revoke-2"));
    }

    [Fact]
    public void TheNewLinkIsShownOnceAsAFullAddress()
    {
        Api.Json("POST", DisplayLinks, DisplayLink(3, "Ops TV", url: "/display/md_abc123"), HttpStatusCode.Created);
        var baseUri = Services.GetRequiredService<NavigationManager>().BaseUri;
        var cut = RenderWithProviders<DisplayLinksPage>();
        cut.WaitForElement("#display-link-create").Click();
        cut.WaitForElement("#new-link-name").Input("Ops TV");

        cut.Find("#create-display-link-submit").Click();

        cut.WaitForAssertion(() => Assert.Equal(baseUri + "display/md_abc123", cut.Find("#new-display-link").GetAttribute("value")));
        Assert.Contains("You won't see it again", cut.Find("#display-link-once").TextContent);
        Assert.Equal("""{"name":"Ops TV"}""", Assert.Single(Api.RequestsTo("POST", DisplayLinks)).Body);

        cut.Find("#display-link-done").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#new-display-link")));
        Assert.DoesNotContain("md_abc123", cut.Markup);
    }

    [Theory]
    [InlineData("http://noc.example/", "/display/md_x", "http://noc.example/display/md_x")]
    [InlineData("https://example.org/monitoring/", "/display/md_x", "https://example.org/monitoring/display/md_x")]
    public void TheLinkKeepsTheAppsBasePath(string baseUri, string url, string expected) =>
        Assert.Equal(expected, CreateDisplayLinkDialog.AbsoluteLink(baseUri, url));

    [Fact]
    public void ANameErrorAppearsNextToTheField()
    {
        Api.Problem("POST", DisplayLinks, HttpStatusCode.BadRequest, "The request is not valid.", new() { ["name"] = ["Name is required (at most 100 characters)."] });
        var cut = RenderWithProviders<DisplayLinksPage>();
        cut.WaitForElement("#display-link-create").Click();
        cut.WaitForElement("#create-display-link-submit").Click();

        cut.WaitForAssertion(() => Assert.Contains("Name is required", cut.Find("#new-link-name-field").TextContent));
    }

    [Fact]
    public void RevokingAsksForConfirmationFirst()
    {
        Api.NoContent("DELETE", $"{DisplayLinks}/1");
        var cut = RenderWithProviders<DisplayLinksPage>();
        cut.WaitForElement("#display-link-revoke-1").Click();

        cut.WaitForAssertion(() => Assert.Contains("\"NOC wall left\"", cut.Find("#confirm-message").TextContent));
        Assert.Empty(Api.RequestsTo("DELETE", $"{DisplayLinks}/1"));

        cut.Find("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Single(Api.RequestsTo("DELETE", $"{DisplayLinks}/1")));
    }
}
