using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

/// <summary>The overview at / in real Chromium, and a screenshot of every page of the app.</summary>
[Collection(SerialCollection.Name)]
public sealed class OverviewPageTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions s_wait = new() { Timeout = 30_000 };

    [Fact]
    public async Task TheOverviewShowsAServiceGoingDownAndBackWithinSeconds()
    {
        app.Target.StatusCode = HttpStatusCode.OK;
        var id = await app.RegisterServiceAsync(new
        {
            // Sorts before the screenshot tests' services: the first tile, top left.
            name = "API search",
            type = "http",
            target = new Uri(app.Target.BaseAddress, "health").ToString(),
            intervalSeconds = 1,
            timeoutMs = 900,
            retries = 0,
            failureThreshold = 1,
            recoveryThreshold = 1,
        });
        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(app.AppAddress.ToString());
        // The grid is a canvas: its text side (counts, the list of services that are not healthy,
        // the hover tooltip) says what each tile shows.
        var grid = page.Locator("#status-grid-host #status-grid");
        var problem = page.Locator($"#status-problems li[data-id='{id}']");
        await Expect(grid).ToHaveAttributeAsync("data-painted", new System.Text.RegularExpressions.Regex("^[1-9]"), s_wait);
        await Expect(problem).ToHaveCountAsync(0);
        await Expect(page.Locator("#overview-connection")).ToHaveAttributeAsync("data-state", "Live", s_wait);
        await grid.HoverAsync(new() { Position = new() { X = 6, Y = 6 } });
        await Expect(page.Locator("#status-grid-tip")).ToHaveTextAsync("API search: Healthy");
        await Expect(page.Locator("#metric-card-host_cpu_usage_percent")).ToBeVisibleAsync();
        await BrowserAppFixture.ScreenshotAsync(page, "overview");

        app.Target.StatusCode = HttpStatusCode.ServiceUnavailable;
        await Expect(problem).ToHaveAttributeAsync("data-status", "unhealthy", s_wait);
        await Expect(problem).ToContainTextAsync("API search — Unhealthy");
        await Expect(page.Locator("#legend-unhealthy")).Not.ToHaveAttributeAsync("data-count", "0");
        await grid.HoverAsync(new() { Position = new() { X = 6, Y = 6 } });
        await Expect(page.Locator("#status-grid-tip")).ToHaveTextAsync("API search: Unhealthy");
        await Expect(page.Locator($"#active-incidents-list a.incident-link").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await BrowserAppFixture.ScreenshotAsync(page, "overview-unhealthy");

        app.Target.StatusCode = HttpStatusCode.OK;
        await Expect(problem).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        // A click on the tile opens the service, through the app's router.
        await grid.ClickAsync(new() { Position = new() { X = 6, Y = 6 } });
        await page.WaitForURLAsync($"**/services/{id}", new() { Timeout = 30_000 });
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
    }

    // Every route of the app, listed explicitly.
    public static TheoryData<string, string> Pages => new()
    {
        { "", "page-overview" },
        { "services", "page-services" },
        { "services/{id}", "page-service-detail" },
        { "incidents", "page-incidents" },
        { "wall", "page-wall" },
        { "admin/users", "page-admin-users" },
        { "admin/api-keys", "page-admin-api-keys" },
        { "admin/display-links", "page-admin-display-links" },
        { "admin/audit", "page-admin-audit" },
        { "alerts", "page-alerts" },
        { "alerts/rules", "page-alert-rules" },
        { "alerts/silences", "page-silences" },
        { "admin/channels", "page-notification-channels" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryPageRendersAndIsPhotographed(string route, string name)
    {
        var id = await app.RegisterServiceAsync(new { name = "Screenshot API", type = "http", target = new Uri(app.Target.BaseAddress, "health").ToString(), intervalSeconds = 5, timeoutMs = 900 });
        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        var response = await page.GotoAsync(new Uri(app.AppAddress, route.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToString(),
            new PageGotoOptions { Timeout = 90_000 });
        Assert.NotEqual(404, response?.Status);
        // The app has booted when the layout's title (or the wall's own frame) is there.
        await Expect(page.Locator("#app-title, .wall, #not-found").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Equal(0, await page.Locator("#not-found").CountAsync());
        try { await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 10_000 }); }
        catch (TimeoutException) { } // live pages keep a connection open; the screenshot is still worth keeping
        await BrowserAppFixture.ScreenshotAsync(page, name);
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
