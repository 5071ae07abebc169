using System.Net;
using Bunit;
using Monitoring.Client.Pages.Admin;
using static Monitoring.Client.Tests.AdminData;

namespace Monitoring.Client.Tests.Pages.Admin;

public sealed class UsersPageTests : MonitoringTestContext
{
    public UsersPageTests()
    {
        Api.Json("GET", Users, new[] { User("u1", "admin", "Admin"), User("u2", "bob", "Operator", lockedOut: true) });
    }

    [Fact]
    public void ListsTheUsersWithTheirStatus()
    {
        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal("bob", cut.Find("#user-name-u2").TextContent));
        Assert.Contains("Locked out", cut.Find("#user-state-u2").TextContent);
        Assert.Contains("Active", cut.Find("#user-state-u1").TextContent);
        Assert.Equal("Operator", cut.Find("#user-role-u2").GetAttribute("value"));
        // You cannot delete yourself; the button says so by being disabled.
        Assert.True(cut.Find("#user-delete-u1").HasAttribute("disabled"));
        Assert.False(cut.Find("#user-delete-u2").HasAttribute("disabled"));
    }

    [Fact]
    public void TheServersValidationMessagesAppearNextToTheirFields()
    {
        Api.Problem("POST", Users, HttpStatusCode.BadRequest, "The request is not valid.", new()
        {
            ["userName"] = ["User name 'bob' is already taken."],
            ["password"] = ["Passwords must be at least 12 characters."],
        });
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-create").Click();
        cut.WaitForElement("#new-user-name").Input("bob");
        cut.Find("#new-user-password").Input("short");

        cut.Find("#create-user-submit").Click();

        cut.WaitForAssertion(() => Assert.Contains("User name 'bob' is already taken.", cut.Find("#new-user-name-field").TextContent));
        Assert.Contains("Passwords must be at least 12 characters.", cut.Find("#new-user-password-field").TextContent);
        Assert.DoesNotContain("already taken", cut.Find("#new-user-password-field").TextContent);
        // Every message sits beside its field, so there is no banner repeating them; the dialog stays open.
        Assert.Empty(cut.FindAll("#create-user-error"));
        Assert.NotNull(cut.Find("#create-user-submit"));
        var sent = Assert.Single(Api.RequestsTo("POST", Users));
        Assert.Equal("""{"userName":"bob","password":"short","role":"Viewer"}""", sent.Body);
    }

    [Fact]
    public void AnErrorForNoFieldShowsAsABanner()
    {
        Api.Problem("POST", Users, HttpStatusCode.BadRequest, "The request is not valid.", new() { ["user"] = ["Something else went wrong."] });
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-create").Click();
        cut.WaitForElement("#new-user-name").Input("carol");

        cut.Find("#create-user-submit").Click();

        cut.WaitForAssertion(() => Assert.Equal("Something else went wrong.", cut.Find("#create-user-error").TextContent.Trim()));
    }

    [Fact]
    public void CreatingAUserClosesTheDialogAndReloadsTheList()
    {
        Api.Json("POST", Users, User("u3", "carol"), HttpStatusCode.Created);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-create").Click();
        cut.WaitForElement("#new-user-name").Input("carol");
        cut.Find("#new-user-password").Input("a long enough password");
        Api.Json("GET", Users, new[] { User("u1", "admin", "Admin"), User("u3", "carol") });

        cut.Find("#create-user-submit").Click();

        cut.WaitForAssertion(() => Assert.Equal("carol", cut.Find("#user-name-u3").TextContent));
        Assert.Empty(cut.FindAll("#create-user-submit"));
        Assert.Contains("Created user carol (Viewer).", cut.Markup);
    }

    [Fact]
    public async Task ChangingARoleSendsOnlyTheRole()
    {
        Api.Json("PUT", $"{Users}/u2", User("u2", "bob", "Admin"));
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-role-u2");
        Api.Json("GET", Users, new[] { User("u1", "admin", "Admin"), User("u2", "bob", "Admin") });

        var bobsRole = cut.FindComponents<MudBlazor.MudSelect<string>>()[1];
        await bobsRole.InvokeAsync(() => bobsRole.Instance.ValueChanged.InvokeAsync("Admin"));

        cut.WaitForAssertion(() => Assert.Equal("Admin", cut.Find("#user-role-u2").GetAttribute("value")));
        Assert.Equal("""{"role":"Admin"}""", Assert.Single(Api.RequestsTo("PUT", $"{Users}/u2")).Body);
        Assert.Contains("bob is now Admin.", cut.Find(".mud-snackbar").TextContent);
    }

    [Fact]
    public async Task ARefusedRoleChangeShowsWhyAndKeepsTheRealRole()
    {
        Api.Problem("PUT", $"{Users}/u2", HttpStatusCode.BadRequest, "The request is not valid.", new() { ["role"] = ["The last admin cannot lose the Admin role."] });
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-role-u2");

        var bobsRole = cut.FindComponents<MudBlazor.MudSelect<string>>()[1];
        await bobsRole.InvokeAsync(() => bobsRole.Instance.ValueChanged.InvokeAsync("Viewer"));

        cut.WaitForAssertion(() => Assert.Contains("The last admin cannot lose the Admin role.", cut.Find(".mud-snackbar").TextContent));
        Assert.Equal("Operator", cut.Find("#user-role-u2").GetAttribute("value"));
    }

    [Fact]
    public void DeletingAsksFirstAndCancelLeavesTheUserAlone()
    {
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-delete-u2").Click();

        cut.WaitForAssertion(() => Assert.Contains("\"bob\"", cut.Find("#confirm-message").TextContent));
        cut.Find("#confirm-no").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#confirm-message")));
        Assert.Empty(Api.RequestsTo("DELETE", $"{Users}/u2"));
    }

    [Fact]
    public void ARefusedDeleteShowsTheServersReasonInAnErrorSnackbar()
    {
        Api.Problem("DELETE", $"{Users}/u2", HttpStatusCode.BadRequest, "The request is not valid.", new() { ["id"] = ["The last admin cannot be deleted."] });
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("#user-delete-u2").Click();
        cut.WaitForElement("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Contains("Deleting bob failed: The last admin cannot be deleted.", cut.Find(".mud-snackbar").TextContent));
        Assert.Single(Api.RequestsTo("DELETE", $"{Users}/u2"));
        Assert.Contains("mud-alert-filled-error", cut.Find(".mud-snackbar").ClassName);
    }

    [Fact]
    public void AViewerSeesAdminsOnlyAndNothingIsAsked()
    {
        Api.Json("GET", Me, ViewerAccount());

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Contains("Admins only.", cut.Find("#admins-only").TextContent));
        Assert.Equal("vera", cut.Find("#admins-only-name").TextContent);
        Assert.Empty(cut.FindAll("#users-table"));
        Assert.Empty(cut.FindAll("#user-create"));
        Assert.Empty(Api.RequestsTo("GET", Users));
    }

    [Fact]
    public void AForbiddenAnswerTurnsThePageIntoAdminsOnly()
    {
        // The role was taken away after the app loaded: the server has the last word.
        Api.Problem("GET", Users, HttpStatusCode.Forbidden, "Forbidden.");

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#admins-only")));
        Assert.Empty(cut.FindAll("#users-table"));
    }

    [Fact]
    public void RendersUserNamesAsText()
    {
        Api.Json("GET", Users, new[] { User("u9", "<img src=x onerror=alert(1)>") });

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal("<img src=x onerror=alert(1)>", cut.Find("#user-name-u9").TextContent));
        Assert.Empty(cut.FindAll("#user-name-u9 img"));
    }
}
