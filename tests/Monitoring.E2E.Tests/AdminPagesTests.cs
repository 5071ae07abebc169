using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

/// <summary>The account menu and the admin pages in real Chromium, against the real server.</summary>
public sealed class AdminPagesTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    // Generous for a cold WebAssembly boot on a busy 2-core machine; the usual wait is a few seconds.
    private static readonly LocatorAssertionsToBeVisibleOptions s_boot = new() { Timeout = 30_000 };

    [Fact]
    public async Task AnAdminCreatesAnApiKeySeesItOnceAndFindsItInTheAuditLog()
    {
        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.AppAddress.GetLeftPart(UriPartial.Authority) });
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        // Users: the account menu knows who this is, and the admin section is in the drawer.
        await page.GotoAsync(new Uri(app.AppAddress, "admin/users").ToString());
        await Expect(page.Locator("#users-title")).ToBeVisibleAsync(s_boot);
        await Expect(page.Locator("#user-name")).ToHaveTextAsync(MonitoringAppFactory.AdminUser);
        await Expect(page.Locator("#nav-admin")).ToBeVisibleAsync();
        await Expect(page.Locator("#users-table")).ToContainTextAsync(MonitoringAppFactory.AdminUser);
        await BrowserAppFixture.ScreenshotAsync(page, "admin-users");

        await page.Locator("#user-menu-button").ClickAsync();
        await Expect(page.Locator("#user-role")).ToHaveTextAsync("Admin");
        await Expect(page.Locator("#user-sign-out")).ToHaveAttributeAsync("href", "/logout");
        await WhenAnimationsEndAsync(page.Locator(".mud-popover-open"));
        await BrowserAppFixture.ScreenshotAsync(page, "user-menu");
        await page.Keyboard.PressAsync("Escape");

        // API keys: create one through the dialog; the secret is shown once.
        await page.Locator("#nav-admin-api-keys").ClickAsync();
        await Expect(page.Locator("#api-keys-title")).ToBeVisibleAsync();
        await page.Locator("#api-key-create").ClickAsync();
        await page.Locator("#new-key-name").FillAsync("E2E exporter");
        await page.Locator("#create-api-key-submit").ClickAsync();
        var secretField = page.Locator("#new-api-key");
        await Expect(secretField).ToHaveValueAsync(new Regex("^mk_"));
        await Expect(page.Locator("#api-key-once")).ToContainTextAsync("You won't see it again");
        await Expect(page.Locator("#create-api-key-title")).ToHaveTextAsync("API key created");
        var secret = await secretField.InputValueAsync();
        await page.Locator("#copy-api-key").ClickAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await BrowserAppFixture.ScreenshotAsync(page, "admin-api-key-created");

        // The key shown is the real one: it authenticates as itself.
        using (var keyClient = new HttpClient { BaseAddress = app.AppAddress })
        {
            keyClient.DefaultRequestHeaders.Add("X-Api-Key", secret);
            var me = await keyClient.GetFromJsonAsync<System.Text.Json.JsonElement>("api/v1/account/me");
            Assert.Equal("apikey", me.GetProperty("actorType").GetString());
        }

        await page.Locator("#api-key-done").ClickAsync();
        await Expect(secretField).ToHaveCountAsync(0);
        await Expect(page.Locator("#api-keys-table")).ToContainTextAsync("E2E exporter");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await BrowserAppFixture.ScreenshotAsync(page, "admin-api-keys");

        // Display links: the whole address, once.
        await page.Locator("#nav-admin-display-links").ClickAsync();
        await Expect(page.Locator("#display-links-title")).ToBeVisibleAsync();
        await page.Locator("#display-link-create").ClickAsync();
        await page.Locator("#new-link-name").FillAsync("NOC wall left");
        await page.Locator("#create-display-link-submit").ClickAsync();
        await Expect(page.Locator("#new-display-link")).ToHaveValueAsync(new Regex("^" + Regex.Escape(app.AppAddress.ToString()) + "display/md_"));
        await BrowserAppFixture.ScreenshotAsync(page, "admin-display-link-created");
        await page.Locator("#display-link-done").ClickAsync();
        await Expect(page.Locator("#display-links-table")).ToContainTextAsync("NOC wall left");
        await BrowserAppFixture.ScreenshotAsync(page, "admin-display-links");

        // Audit: the key's creation is there, by this admin, and the action filter finds it.
        await page.Locator("#nav-admin-audit").ClickAsync();
        await Expect(page.Locator("#audit-title")).ToBeVisibleAsync();
        await page.Locator("#audit-action").FillAsync("apikey.");
        await page.Locator("#audit-apply").ClickAsync();
        var created = page.Locator("#audit-table code", new() { HasTextString = "apikey.create" });
        await Expect(created).ToHaveCountAsync(1);
        await Expect(page.Locator("#audit-table")).Not.ToContainTextAsync("displaylink.create");
        await page.Locator("#audit-clear").ClickAsync();
        await Expect(page.Locator("#audit-table")).ToContainTextAsync("displaylink.create");
        await Expect(page.Locator("#audit-table")).ToContainTextAsync("Succeeded");
        await BrowserAppFixture.ScreenshotAsync(page, "admin-audit");

        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
    }

    /// <summary>Waits for the element's CSS transitions (a menu fading in), so the screenshot shows the end state.</summary>
    private static Task WhenAnimationsEndAsync(ILocator element) =>
        element.EvaluateAsync("el => Promise.all(el.getAnimations({ subtree: true }).map(a => a.finished))");

    [Fact]
    public async Task AViewerHasNoAdminSectionAndIsToldAdminsOnly()
    {
        await app.CreateUserAsync("vera", "viewer password 123", "Viewer");
        var (context, page) = await app.NewSignedInPageAsync("vera", "viewer password 123");
        await using var _ = context;

        await page.GotoAsync(new Uri(app.AppAddress, "admin/api-keys").ToString());

        await Expect(page.Locator("#admins-only")).ToBeVisibleAsync(s_boot);
        await Expect(page.Locator("#admins-only")).ToContainTextAsync("Admins only.");
        await Expect(page.Locator("#user-name")).ToHaveTextAsync("vera");
        await Expect(page.Locator("#nav-admin")).ToHaveCountAsync(0);
        await Expect(page.Locator("#api-keys-table")).ToHaveCountAsync(0);
        await BrowserAppFixture.ScreenshotAsync(page, "admin-only-viewer");
    }
}
