using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

/// <summary>
/// The on-call loop in real Chromium: a service goes down, the built-in "down" rule raises a
/// critical alert that appears in the overview's live feed, the engineer acknowledges it on the
/// alerts page, and the incident's timeline shows the acknowledgement.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AlertFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    private static readonly LocatorAssertionsToBeVisibleOptions s_wait = new() { Timeout = 45_000 };

    [Fact]
    public async Task AnAlertAppearsInTheFeed_IsAcknowledged_AndTheIncidentTimelineShowsIt()
    {
        app.Target.StatusCode = HttpStatusCode.OK;
        var serviceId = await app.RegisterServiceAsync(new
        {
            name = "Ledger API",
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
        await Expect(page.Locator("#alert-feed-title")).ToBeVisibleAsync(s_wait);

        try
        {
            app.Target.StatusCode = HttpStatusCode.ServiceUnavailable;

            // The alert arrives over the hub, without a reload.
            var alert = await WaitForAlertAsync(serviceId);
            var alertId = alert.GetProperty("id").GetInt64();
            var incidentId = alert.GetProperty("incidentId").GetInt64();
            var item = page.Locator($"#alert-{alertId}");
            await Expect(item).ToBeVisibleAsync(s_wait);
            await Expect(item).ToHaveAttributeAsync("data-severity", "critical");
            await Expect(item).ToContainTextAsync("Ledger API");
            await Expect(page.Locator("#alert-critical-count")).Not.ToHaveAttributeAsync("data-count", "0");
            await BrowserAppFixture.ScreenshotAsync(page, "alert-flow-feed");

            await page.GotoAsync(new Uri(app.AppAddress, "alerts").ToString());
            var ack = page.Locator($"[data-testid='ack-{alertId}']");
            await Expect(ack).ToBeVisibleAsync(s_wait);
            await ack.ClickAsync();
            await Expect(ack).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await BrowserAppFixture.ScreenshotAsync(page, "alert-flow-acknowledged");

            var stored = await app.Api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alertId}");
            Assert.Equal(JsonValueKind.String, stored.GetProperty("acknowledgedAt").ValueKind);

            await page.GotoAsync(new Uri(app.AppAddress, $"incidents/{incidentId}").ToString());
            await Expect(page.Locator("#incident-timeline li[data-type='alert_firing']")).ToBeVisibleAsync(s_wait);
            var acknowledged = page.Locator("#incident-timeline li[data-type='alert_acknowledged']");
            await Expect(acknowledged).ToBeVisibleAsync(s_wait);
            await BrowserAppFixture.ScreenshotAsync(page, "alert-flow-incident-timeline");
        }
        finally
        {
            app.Target.StatusCode = HttpStatusCode.OK;
        }
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
    }

    private async Task<JsonElement> WaitForAlertAsync(long serviceId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            var alerts = await app.Api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?activeOnly=true&serviceId={serviceId}&severity=critical");
            foreach (var a in alerts.EnumerateArray())
            {
                if (a.GetProperty("state").GetString() == "firing" && a.GetProperty("incidentId").ValueKind == JsonValueKind.Number) return a;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No firing critical alert linked to an incident for service {serviceId}: {alerts}");
            await Task.Delay(250);
        }
    }
}
