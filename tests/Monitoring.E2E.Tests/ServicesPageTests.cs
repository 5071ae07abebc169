using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

public sealed class ServicesPageTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    // Generous for a cold WebAssembly boot on a busy 2-core machine; the usual wait is a few seconds.
    private static readonly LocatorAssertionsToHaveAttributeOptions s_statusWait = new() { Timeout = 30_000 };

    [Fact]
    public async Task AStatusChangeArrivesLiveWithoutReloadingThePage()
    {
        app.Target.StatusCode = HttpStatusCode.OK;
        var id = await app.RegisterServiceAsync(new
        {
            name = "Checkout API",
            type = "http",
            target = new Uri(app.Target.BaseAddress, "health").ToString(),
            intervalSeconds = 1,
            timeoutMs = 500,
            retries = 0,
            failureThreshold = 1,
            recoveryThreshold = 1,
        });
        // A second, paused service so the page shows more than one kind of row.
        await app.RegisterServiceAsync(new { name = "Billing worker", type = "http", target = "http://127.0.0.1:9/", intervalSeconds = 60, enabled = false });

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(new Uri(app.AppAddress, "services").ToString());
        var status = page.Locator($"#service-status-{id}");
        await Expect(status).ToHaveAttributeAsync("data-status", "healthy", s_statusWait);
        await Expect(status).ToHaveTextAsync("Healthy");
        await Expect(page.Locator("#connection-state")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator($"#service-row-{id} td.name")).ToHaveTextAsync("Checkout API");
        // Anything that reloads or navigates the page wipes this marker.
        await page.EvaluateAsync("() => { window.__e2eMarker = 'same-page'; }");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserAppFixture.ScreenshotDirectory, "services-healthy.png"), FullPage = true });

        app.Target.StatusCode = HttpStatusCode.ServiceUnavailable;

        await Expect(status).ToHaveAttributeAsync("data-status", "unhealthy", s_statusWait);
        await Expect(status).ToHaveTextAsync("Unhealthy");
        await Expect(page.Locator("#status-count-unhealthy")).ToHaveAttributeAsync("data-count", "1");
        Assert.Equal("same-page", await page.EvaluateAsync<string?>("() => window.__e2eMarker ?? null"));
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserAppFixture.ScreenshotDirectory, "services-unhealthy.png"), FullPage = true });
    }
}
