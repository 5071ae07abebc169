using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

/// <summary>
/// The live pages in real Chromium: service detail with its chart and "Check now", incidents, and the wall screen.
/// They run on their own, after the other classes: the wall test starts and stops a second server, and
/// on a busy 2-core machine that next to other apps booting makes everyone's timing flaky.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class LiveDashboardTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    // Generous for a cold WebAssembly boot on a busy 2-core machine; the usual wait is a few seconds.
    private static readonly LocatorAssertionsToHaveAttributeOptions s_wait = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions s_visible = new() { Timeout = 30_000 };

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserAppFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    [Fact]
    public async Task ServiceDetailShowsTheChartAndACheckNowResultThenTheIncidentItOpened()
    {
        app.Target.StatusCode = HttpStatusCode.OK;
        var id = await app.RegisterServiceAsync(new
        {
            name = "Orders API",
            type = "http",
            target = new Uri(app.Target.BaseAddress, "health").ToString(),
            intervalSeconds = 1,
            timeoutMs = 900,
            thresholdMs = 500,
            retries = 0,
            failureThreshold = 1,
            recoveryThreshold = 1,
        });
        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        // From the services list, through the row's link.
        await page.GotoAsync(new Uri(app.AppAddress, "services").ToString());
        await page.Locator($"#service-name-{id}").ClickAsync(new LocatorClickOptions { Timeout = 30_000 });
        await page.WaitForURLAsync($"**/services/{id}");
        await Expect(page.Locator("#service-title")).ToHaveTextAsync("Orders API", new() { Timeout = 30_000 });
        await Expect(page.Locator("#latency-chart .apexcharts-canvas")).ToBeVisibleAsync(s_visible);
        await Expect(page.Locator("#status-history .history-cell").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#uptime-24h .apexcharts-canvas")).ToBeVisibleAsync();

        await page.Locator("#check-now").ClickAsync();
        await Expect(page.Locator("#check-result")).ToHaveAttributeAsync("data-status", "healthy", s_wait);
        await Expect(page.Locator("#check-result")).ToContainTextAsync("Healthy");
        await ScreenshotAsync(page, "service-detail");

        // Live: the target fails, the header follows without a reload, and an incident opens.
        app.Target.StatusCode = HttpStatusCode.ServiceUnavailable;
        await Expect(page.Locator("#service-status")).ToHaveAttributeAsync("data-status", "unhealthy", s_wait);
        await Expect(page.Locator("#service-incidents tbody tr").First).ToBeVisibleAsync(s_visible);
        await ScreenshotAsync(page, "service-detail-unhealthy");

        await page.GotoAsync(new Uri(app.AppAddress, "incidents").ToString());
        var activeLink = page.Locator("#active-incidents a.incident-link").First;
        await Expect(activeLink).ToBeVisibleAsync(s_visible);
        // Service names come from the live snapshot, which may land after the lists.
        await Expect(page.Locator("#active-incidents tbody tr td:nth-child(2)").First).ToHaveTextAsync("Orders API", new() { Timeout = 30_000 });
        await ScreenshotAsync(page, "incidents");

        // Recovery closes it; the detail shows the timeline around it.
        app.Target.StatusCode = HttpStatusCode.OK;
        await Expect(page.Locator("#active-count")).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 40_000 });
        await page.Locator("#recent-incidents a.incident-link").First.ClickAsync();
        await Expect(page.Locator("#incident-timeline li[data-type='incident_opened']")).ToBeVisibleAsync(s_visible);
        await Expect(page.Locator("#incident-timeline li[data-type='check_failed']").First).ToBeVisibleAsync();
        await Expect(page.Locator("#incident-timeline li[data-type='check_recovered']").First).ToBeVisibleAsync();
        await Expect(page.Locator("#incident-timeline li[data-type='incident_resolved']")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "incident-detail");

        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task TheWallFollowsAServiceLiveAndShowsStaleWhileTheServerIsGone()
    {
        // An instance of its own, so stopping it doesn't disturb the fixture's app.
        var dataDirectory = Path.Combine(Path.GetTempPath(), "monitoring-e2e-wall-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        await using var target = await TargetServer.StartAsync();
        var factory = new MonitoringAppFactory(dataDirectory);
        try
        {
            var address = factory.Start();
            using var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            api.DefaultRequestHeaders.Add("X-Api-Key", MonitoringAppFactory.ApiKey);
            var id = await RegisterAsync(api, new
            {
                name = "Payments",
                type = "http",
                target = new Uri(target.BaseAddress, "health").ToString(),
                intervalSeconds = 1,
                timeoutMs = 900,
                retries = 0,
                failureThreshold = 1,
                recoveryThreshold = 1,
            });
            await RegisterAsync(api, new { name = "Reports (paused)", type = "http", target = "http://127.0.0.1:9/", intervalSeconds = 60, enabled = false });
            var displayUrl = await CreateDisplayLinkAsync(api);

            // A wall screen: no user, signed in by the display link alone.
            await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
                ColorScheme = ColorScheme.Dark,
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(address, displayUrl).ToString());
            await page.GotoAsync(new Uri(address, "wall?kiosk=1&rotate=0").ToString());

            var tile = page.Locator($"#wall-tile-{id}");
            await Expect(tile).ToHaveAttributeAsync("data-status", "healthy", s_wait);
            await Expect(tile).ToContainTextAsync("Healthy");
            await Expect(page.Locator("#wall-bar")).ToHaveCountAsync(0);
            await Expect(page.Locator(".mud-appbar")).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "wall-healthy");

            target.StatusCode = HttpStatusCode.ServiceUnavailable;
            await Expect(tile).ToHaveAttributeAsync("data-status", "unhealthy", s_wait);
            await Expect(tile).ToContainTextAsync("Unhealthy");
            await Expect(page.Locator("#wall-count-unhealthy")).ToHaveAttributeAsync("data-count", "1");
            await Expect(page.Locator("#wall-incident-count")).ToHaveAttributeAsync("data-count", "1", s_wait);
            await Expect(page.Locator("#stale-banner")).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "wall-unhealthy");

            // The server goes away: the wall keeps its data and says it is stale.
            var port = address.Port;
            await factory.DisposeAsync();
            await Expect(page.Locator("#stale-banner")).ToBeVisibleAsync(s_visible);
            await Expect(page.Locator("#stale-banner")).ToContainTextAsync("STALE");
            await Expect(tile).ToHaveAttributeAsync("data-status", "unhealthy");
            await ScreenshotAsync(page, "wall-stale");

            // It comes back on the same address with the same data: the wall recovers by itself.
            target.StatusCode = HttpStatusCode.OK;
            factory = new MonitoringAppFactory(dataDirectory);
            factory.Start(port);
            await Expect(page.Locator("#stale-banner")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await Expect(tile).ToHaveAttributeAsync("data-status", "healthy", s_wait);
            await ScreenshotAsync(page, "wall-recovered");
        }
        finally
        {
            await factory.DisposeAsync();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may hold the file for a moment; a temp folder left behind is harmless.
            }
        }
    }

    private static async Task<long> RegisterAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("api/v1/services", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Registering a service failed: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetInt64();
    }

    private static async Task<string> CreateDisplayLinkAsync(HttpClient api)
    {
        using var response = await api.PostAsJsonAsync("api/v1/display-links", new { name = "NOC wall" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Creating a display link failed: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("url").GetString()!;
    }
}
