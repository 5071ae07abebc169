using Bunit;
using Monitoring.Client.Layout;

namespace Monitoring.Client.Tests.Layout;

public sealed class UserMenuTests : MonitoringTestContext
{
    [Fact]
    public void ShowsTheSignedInName()
    {
        Api.Json("GET", AdminData.Me, AdminData.AdminAccount("alice"));

        var cut = RenderWithProviders<UserMenu>();

        cut.WaitForAssertion(() => Assert.Equal("alice", cut.Find("#user-name").TextContent));
        Assert.NotNull(cut.Find("#user-menu"));
    }

    [Fact]
    public void TheMenuShowsTheRoleAndLeadsToTheServerPagesWithAFullLoad()
    {
        Api.Json("GET", AdminData.Me, AdminData.Account("olga", "Viewer", "Operator"));
        var cut = RenderWithProviders<UserMenu>();
        cut.WaitForElement("#user-menu-button");

        cut.Find("#user-menu-button").Click();

        cut.WaitForAssertion(() => Assert.Equal("Operator", cut.Find("#user-role").TextContent));
        // Plain server pages, not Blazor routes: the links must leave the WebAssembly app.
        Assert.Equal("/account/password", cut.Find("#user-change-password").GetAttribute("href"));
        Assert.Equal("/logout", cut.Find("#user-sign-out").GetAttribute("href"));
    }

    [Fact]
    public void AWallScreenHasNoPasswordToChange()
    {
        Api.Json("GET", AdminData.Me, new { name = "display:Lobby", actorType = "display", roles = new[] { "Viewer" }, scope = (string?)null });
        var cut = RenderWithProviders<UserMenu>();
        cut.WaitForElement("#user-menu-button").Click();

        cut.WaitForAssertion(() => Assert.Equal("Wall screen (read only)", cut.Find("#user-role").TextContent));
        Assert.Empty(cut.FindAll("#user-change-password"));
        Assert.NotNull(cut.Find("#user-sign-out"));
    }

    [Fact]
    public void AnEndedSessionOffersToSignInAgain()
    {
        Api.Problem("GET", AdminData.Me, System.Net.HttpStatusCode.Unauthorized, "Authentication required.");

        var cut = RenderWithProviders<UserMenu>();

        cut.WaitForAssertion(() => Assert.StartsWith("/login?returnUrl=", cut.Find("#user-sign-in").GetAttribute("href")));
        Assert.Empty(cut.FindAll("#user-menu"));
    }

    [Fact]
    public void RendersTheNameAsText()
    {
        Api.Json("GET", AdminData.Me, AdminData.AdminAccount("<b>bold</b>"));

        var cut = RenderWithProviders<UserMenu>();

        cut.WaitForAssertion(() => Assert.Equal("<b>bold</b>", cut.Find("#user-name").TextContent));
        Assert.Empty(cut.FindAll("#user-name b"));
    }
}
