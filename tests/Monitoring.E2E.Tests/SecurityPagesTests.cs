using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

public sealed class SecurityPagesTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task AnAnonymousVisitorIsSentToTheLoginPage_AndAWrongPasswordIsRefused()
    {
        await using var context = await app.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.AppAddress, "services").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.FillAsync("#userName", MonitoringAppFactory.AdminUser);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#submit");
        await Expect(page.Locator("#account-message")).ToHaveTextAsync("Wrong user name or password.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserAppFixture.ScreenshotDirectory, "login-refused.png") });

        await page.FillAsync("#password", MonitoringAppFactory.AdminPassword);
        await page.ClickAsync("#submit");
        // Back where the visitor wanted to go.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/services$"));
        await Expect(page.Locator("#services-title")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task AScriptInAServiceNameIsShownAsText()
    {
        const string payload = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
        var id = await app.RegisterServiceAsync(new { name = payload, type = "http", target = "http://127.0.0.1:9/", intervalSeconds = 60, enabled = false });
        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        await page.GotoAsync(new Uri(app.AppAddress, "services").ToString());
        var name = page.Locator($"#service-row-{id} td.name");
        await Expect(name).ToHaveTextAsync(payload, new() { Timeout = 30_000 });
        // The DOM holds the payload as text: no element was made from it and nothing ran.
        Assert.Equal(0, await page.Locator($"#service-row-{id} td.name img, #service-row-{id} td.name script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserAppFixture.ScreenshotDirectory, "services-xss-as-text.png") });
    }
}
