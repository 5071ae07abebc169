using Bunit;
using Microsoft.AspNetCore.Components;
using Monitoring.Client.Layout;
using Monitoring.Client.Shared;


namespace Monitoring.Client.Tests.Layout;

public sealed class MainLayoutTests : MonitoringTestContext
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">page</p>"))));

    [Fact]
    public void ShowsTheShellAroundThePage()
    {
        var cut = RenderLayout();

        Assert.Equal("Monitoring", cut.Find("#app-title").TextContent);
        Assert.NotNull(cut.Find("#connection-state"));
        Assert.NotNull(cut.Find("#page-body"));
        Assert.Contains("Services", cut.Find(".mud-navmenu").TextContent);
    }

    [Fact]
    public void StartsTheLiveConnectionButNotTheFullServicesStore()
    {
        RenderLayout();

        Assert.True(LiveFeed.Started);
        // Every service at full rate is for the pages that show latency, not for every page.
        Assert.Equal(0, Feed.SnapshotRequests);
    }

    [Fact]
    public void TheThemeButtonSwitchesBetweenDarkAndLight()
    {
        // Loose JS interop answers "no" to "does the system prefer dark?", so the shell starts light.
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.Equal("Switch to dark theme", cut.Find("#theme-toggle").GetAttribute("aria-label")));

        cut.Find("#theme-toggle").Click();

        Assert.Equal("Switch to light theme", cut.Find("#theme-toggle").GetAttribute("aria-label"));
    }

    [Fact]
    public void TheAdminSectionIsHiddenFromAViewer()
    {
        Api.Json("GET", AdminData.Me, AdminData.ViewerAccount());

        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Equal("vera", cut.Find("#user-name").TextContent));
        Assert.Empty(cut.FindAll("#nav-admin"));
        Assert.DoesNotContain("Audit log", cut.Find(".mud-navmenu").TextContent);
    }

    [Fact]
    public void TheAdminSectionIsShownToAnAdmin()
    {
        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#nav-admin")));
        Assert.Equal(
            ["admin/users", "admin/api-keys", "admin/display-links", "admin/channels", "admin/audit"],
            cut.FindAll("#nav-admin a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void AsksWhoIsSignedInOnlyOnce()
    {
        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#user-name")));
        // The user menu and the admin links both need the account: they share one request.
        Assert.Single(Api.RequestsTo("GET", AdminData.Me));
    }

    [Fact]
    public void ARememberedThemeWinsOverTheSystemPreference()
    {
        var theme = JSInterop.SetupModule(ThemePreference.ModulePath);
        theme.Setup<string?>("load").SetResult("dark");

        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Equal("Switch to light theme", cut.Find("#theme-toggle").GetAttribute("aria-label")));
    }

    [Fact]
    public void SwitchingTheThemeRemembersIt()
    {
        var theme = JSInterop.SetupModule(ThemePreference.ModulePath);
        theme.Setup<string?>("load").SetResult(null);
        theme.Setup<bool>("save", _ => true).SetResult(true);
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.Equal("Switch to dark theme", cut.Find("#theme-toggle").GetAttribute("aria-label")));

        cut.Find("#theme-toggle").Click();

        cut.WaitForAssertion(() => Assert.Equal("dark", theme.VerifyInvoke("save").Arguments[0]));
    }

    [Fact]
    public void LinksToIncidentsAndTheWall()
    {
        var cut = RenderLayout();

        Assert.Equal("incidents", cut.Find("#nav-incidents").GetAttribute("href"));
        Assert.Equal("wall", cut.Find("#nav-wall").GetAttribute("href"));
    }
}
