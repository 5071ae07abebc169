using System.Net;
using Bunit;
using Monitoring.Client.Pages.Admin;
using static Monitoring.Client.Tests.AdminData;

namespace Monitoring.Client.Tests.Pages.Admin;

public sealed class AuditPageTests : MonitoringTestContext
{
    public AuditPageTests()
    {
        Api.Json("GET", Audit, new[]
        {
            AuditEntry(2, "admin", "apikey.create", detail: """{"name":"CI"}"""),
            AuditEntry(1, "mallory", "login", success: false),
        });
    }

    private string LastAuditQuery => Api.RequestsTo("GET", Audit).Last().PathAndQuery;

    [Fact]
    public void ShowsEntriesWithSuccessAsIconAndText()
    {
        var cut = RenderWithProviders<AuditPage>();

        cut.WaitForAssertion(() => Assert.Equal("apikey.create", cut.Find("#audit-action-2").TextContent));
        Assert.Equal("admin", cut.Find("#audit-actor-2").TextContent);
        Assert.Equal("Succeeded", cut.Find("#audit-result-2").TextContent.Trim());
        Assert.NotEmpty(cut.FindAll("#audit-result-2 svg"));
        Assert.Equal("Failed", cut.Find("#audit-result-1").TextContent.Trim());
        Assert.Equal("false", cut.Find("#audit-result-1").GetAttribute("data-success"));
        // The first page asks one entry more than it shows, to know whether an older page exists.
        Assert.Equal("/api/v1/audit?limit=51&offset=0", LastAuditQuery);
    }

    [Fact]
    public void FiltersBuildTheQueryString()
    {
        var cut = RenderWithProviders<AuditPage>();
        cut.WaitForElement("#audit-action-2");

        cut.Find("#audit-actor").Change("alice smith");
        cut.Find("#audit-action").Change("apikey.");
        cut.Find("#audit-from").Change("2026-11-24T08:00");
        cut.Find("#audit-to").Change("2026-11-24T09:30");
        cut.Find("#audit-filters").Submit();

        var from = Utc(new DateTime(2026, 11, 24, 8, 0, 0));
        var to = Utc(new DateTime(2026, 11, 24, 9, 30, 0));
        cut.WaitForAssertion(() => Assert.Equal(
            $"/api/v1/audit?actor=alice%20smith&action=apikey.&from={from}&to={to}&limit=51&offset=0", LastAuditQuery));
    }

    [Fact]
    public void ClearDropsEveryFilter()
    {
        var cut = RenderWithProviders<AuditPage>();
        cut.WaitForElement("#audit-action-2");
        cut.Find("#audit-actor").Change("alice");
        cut.Find("#audit-filters").Submit();
        cut.WaitForAssertion(() => Assert.Contains("actor=alice", LastAuditQuery));

        cut.Find("#audit-clear").Click();

        cut.WaitForAssertion(() => Assert.Equal("/api/v1/audit?limit=51&offset=0", LastAuditQuery));
        Assert.Equal("", cut.Find("#audit-actor").GetAttribute("value") ?? "");
    }

    [Fact]
    public void AFromAfterToIsRefusedBeforeAsking()
    {
        var cut = RenderWithProviders<AuditPage>();
        cut.WaitForElement("#audit-action-2");
        var asked = Api.RequestsTo("GET", Audit).Count();

        cut.Find("#audit-from").Change("2026-11-24T10:00");
        cut.Find("#audit-to").Change("2026-11-24T09:00");
        cut.Find("#audit-filters").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Must be after From.", cut.Markup));
        Assert.Equal(asked, Api.RequestsTo("GET", Audit).Count());
    }

    [Fact]
    public async Task PagesThroughOlderEntriesWithLimitAndOffset()
    {
        // 26 rows for a page of 25: there is an older page.
        Api.Json("GET", Audit, Enumerable.Range(1, 26).Reverse().Select(i => AuditEntry(i, "admin", "service.update")).ToArray());
        var cut = RenderWithProviders<AuditPage>();
        cut.WaitForElement("#audit-action-26");
        Assert.True(cut.Find("#audit-newer").HasAttribute("disabled"));

        var pageSize = cut.FindComponent<MudBlazor.MudSelect<int>>();
        await pageSize.InvokeAsync(() => pageSize.Instance.ValueChanged.InvokeAsync(25));
        cut.WaitForAssertion(() => Assert.Equal("/api/v1/audit?limit=26&offset=0", LastAuditQuery));
        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("code[id^=audit-action-]").Count));
        Assert.Equal("Entries 1–25", cut.Find("#audit-range").TextContent);

        Api.Json("GET", Audit, new[] { AuditEntry(1, "admin", "service.update") });
        cut.Find("#audit-older").Click();

        cut.WaitForAssertion(() => Assert.Equal("/api/v1/audit?limit=26&offset=25", LastAuditQuery));
        cut.WaitForAssertion(() => Assert.Equal("Entries 26–26", cut.Find("#audit-range").TextContent));
        Assert.True(cut.Find("#audit-older").HasAttribute("disabled"));
        Assert.False(cut.Find("#audit-newer").HasAttribute("disabled"));
    }

    [Fact]
    public void AFilterTheServerRefusesIsMarkedAtTheField()
    {
        var cut = RenderWithProviders<AuditPage>();
        cut.WaitForElement("#audit-action-2");
        Api.Problem("GET", Audit, HttpStatusCode.BadRequest, "The request is not valid.", new() { ["from"] = ["'from' is not an ISO 8601 time."] });

        cut.Find("#audit-from").Change("2026-11-24T08:00");
        cut.Find("#audit-filters").Submit();

        cut.WaitForAssertion(() => Assert.Contains("'from' is not an ISO 8601 time.", cut.Markup));
    }

    [Fact]
    public void RendersDetailsAsText()
    {
        Api.Json("GET", Audit, new[] { AuditEntry(5, "<script>x</script>", "user.create", detail: "<img src=x>") });

        var cut = RenderWithProviders<AuditPage>();

        cut.WaitForAssertion(() => Assert.Equal("<script>x</script>", cut.Find("#audit-actor-5").TextContent));
        Assert.Empty(cut.FindAll("#audit-table script, #audit-table img"));
    }

    private static string Utc(DateTime local) =>
        Uri.EscapeDataString(new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local)).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"));
}
