using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Monitoring.E2E.Tests;

/// <summary>The incident workflow in real Chromium: open one by hand, acknowledge it, write a note and see it on the timeline.</summary>
[Collection(SerialCollection.Name)]
public sealed class IncidentPagesTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    // Generous for a cold WebAssembly boot on a busy 2-core machine; the usual wait is a few seconds.
    private static readonly LocatorAssertionsToBeVisibleOptions s_boot = new() { Timeout = 30_000 };

    [Fact]
    public async Task AnOperatorOpensAnIncidentAcknowledgesItAndAddsANote()
    {
        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(new Uri(app.AppAddress, "incidents").ToString());
        await page.Locator("#incident-open").ClickAsync(new LocatorClickOptions { Timeout = 30_000 });
        // The server's validation shows under the field.
        await page.Locator("#open-incident-submit").ClickAsync();
        await Expect(page.Locator("#new-incident-title-field")).ToContainTextAsync("A title is required.");
        await page.Locator("#new-incident-title").FillAsync("Checkout is slow");
        await page.Locator("#new-incident-assignee").FillAsync("ana");
        await BrowserAppFixture.ScreenshotAsync(page, "incident-open-dialog");
        await page.Locator("#open-incident-submit").ClickAsync();

        await page.WaitForURLAsync("**/incidents/*", new() { Timeout = 30_000 });
        await Expect(page.Locator("#incident-title")).ToHaveTextAsync("Checkout is slow", new() { Timeout = 30_000 });
        await Expect(page.Locator("#incident-assignee")).ToHaveTextAsync("ana");
        await Expect(page.Locator("#incident-timeline li[data-type='incident_opened']")).ToBeVisibleAsync(s_boot);

        await page.Locator("#incident-acknowledge").ClickAsync();
        await Expect(page.Locator("#incident-acknowledge")).ToHaveCountAsync(0);
        await Expect(page.Locator("#incident-timeline li[data-type='incident_acknowledged']")).ToBeVisibleAsync(s_boot);

        await page.Locator("#note-text").FillAsync("Rolled back release 1.4.2");
        await page.Locator("#add-note").ClickAsync();
        var note = page.Locator("#incident-timeline li[data-type='note']");
        await Expect(note).ToContainTextAsync("Rolled back release 1.4.2", new() { Timeout = 30_000 });
        await Expect(page.Locator("#incident-timeline li").Last).ToHaveAttributeAsync("data-type", "note");
        await BrowserAppFixture.ScreenshotAsync(page, "incident-detail-workflow");

        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task ATeammatesNoteOnAResolvedIncidentArrivesThroughTheEventStream()
    {
        // A resolved incident is not polled, so the note can only arrive through the page's event stream.
        using var created = await app.Api.PostAsJsonAsync("api/v1/incidents", new { title = "Queue backlog", severity = "warning" });
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        using (var resolved = await app.Api.PutAsJsonAsync($"api/v1/incidents/{id}", new { status = "resolved" })) resolved.EnsureSuccessStatusCode();

        var (context, page) = await app.NewSignedInPageAsync();
        await using var _ = context;
        var stream = page.WaitForResponseAsync(r => r.Url.Contains("/api/v1/stream?topics=incidents", StringComparison.Ordinal), new() { Timeout = 60_000 });
        await page.GotoAsync(new Uri(app.AppAddress, $"incidents/{id}").ToString());
        await Expect(page.Locator("#incident-timeline li[data-type='incident_resolved']")).ToBeVisibleAsync(s_boot);
        Assert.Equal(200, (await stream).Status);

        using (var note = await app.Api.PostAsJsonAsync($"api/v1/incidents/{id}/notes", new { text = "Post-mortem on Friday" })) note.EnsureSuccessStatusCode();

        await Expect(page.Locator("#incident-timeline li[data-type='note']")).ToContainTextAsync("Post-mortem on Friday", new() { Timeout = 15_000 });
    }
}
