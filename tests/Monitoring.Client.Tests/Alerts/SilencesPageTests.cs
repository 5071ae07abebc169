using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using Monitoring.Client.Alerts;
using Monitoring.Core.Alerts;
using static Monitoring.Client.Tests.Alerts.AlertsData;

namespace Monitoring.Client.Tests.Alerts;

public sealed class SilencesPageTests : AlertsTestContext
{
    private const string Silences = AlertsApi.Silences;

    private static readonly object s_weekend = new { days = new[] { "sat", "sun" }, start = "02:00", durationMinutes = 120, timeZone = "Europe/Berlin" };

    public SilencesPageTests()
    {
        Api.Json("GET", Silences, new[]
        {
            Silence(1, "DB upgrade", activeNow: true, endsAt: Now.AddHours(1)),
            Silence(2, "Weekend maintenance", activeNow: false, schedule: s_weekend),
            Silence(3, "Old work", activeNow: false, endsAt: Now.AddDays(-1)),
        });
    }

    [Fact]
    public void ListsSilencesWithWhetherTheyApplyNowInWords()
    {
        var cut = RenderWithProviders<SilencesPage>();

        cut.WaitForAssertion(() => Assert.Equal("service=\"db\"", cut.Find("#silence-matchers-1").TextContent));
        Assert.Equal("DB upgrade", cut.Find("#silence-comment-1").TextContent);
        Assert.Equal("Active now", cut.Find("#silence-active-1").TextContent.Trim());
        Assert.NotEmpty(cut.Find("#silence-active-1").QuerySelectorAll("svg"));
        Assert.Equal("Not active", cut.Find("#silence-active-2").TextContent.Trim());
        Assert.Equal("Expired", cut.Find("#silence-active-3").TextContent.Trim());
        Assert.Contains("Maintenance: Every Sat, Sun at 02:00 for 2 h (Europe/Berlin)", cut.Find("#silence-when-2").TextContent);
        Assert.Equal("by alice", cut.Find("#silence-by-1").TextContent);
        Assert.NotNull(cut.Find("#silence-delete-1"));
        Assert.NotNull(cut.Find("#silence-delete-2"));
        Assert.Empty(cut.FindAll("#silence-delete-3"));
    }

    [Fact]
    public void AWeeklyMaintenanceWindowPostsItsSchedule()
    {
        Api.Json("POST", Silences, Silence(9, "Weekend maintenance", activeNow: false, schedule: s_weekend), HttpStatusCode.Created);
        var cut = RenderWithProviders<SilencesPage>();
        cut.WaitForElement("#silence-create").Click();
        cut.WaitForElement("#silence-comment").Input("Weekend maintenance");
        cut.Find("#silence-matcher-name-0").Input("service");
        cut.Find("#silence-matcher-value-0").Input("db");
        cut.Find("#silence-mode-weekly").Click();
        cut.WaitForElement("#silence-day-sat").Click();
        cut.Find("#silence-day-sun").Click();
        Assert.Equal("true", cut.Find("#silence-day-sat").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("#silence-day-mon").GetAttribute("aria-pressed"));
        cut.Find("#silence-start-time").Change("02:00");
        cut.Find("#silence-duration").Input("120");
        cut.Find("#silence-timezone").Input("Europe/Berlin");
        Assert.Equal("Silences service=\"db\": Every Sat, Sun at 02:00 for 2 h (Europe/Berlin).", cut.Find("#silence-summary").TextContent);

        cut.Find("#silence-save").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#silence-dialog-title")));
        var sent = Assert.Single(Api.RequestsTo("POST", Silences));
        var expected = """
            {"comment":"Weekend maintenance","matchers":[{"name":"service","op":"=","value":"db"}],
             "schedule":{"days":["sat","sun"],"start":"02:00","durationMinutes":120,"timeZone":"Europe/Berlin"}}
            """;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(sent.Body!)), sent.Body);
        Assert.Contains("Silence created.", cut.Find(".mud-snackbar").TextContent);
    }

    [Fact]
    public void AOneOffSilenceSendsItsStartAndEnd()
    {
        Api.Json("POST", Silences, Silence(9, "Deploy", activeNow: true, endsAt: Now.AddHours(2)), HttpStatusCode.Created);
        var cut = RenderWithProviders<SilencesPage>();
        cut.WaitForElement("#silence-create").Click();
        cut.WaitForElement("#silence-matcher-name-0").Input("alertname");
        cut.Find("#silence-matcher-value-0").Input("CPU high");
        cut.Find("#silence-starts").Change("2030-01-31T22:00");
        cut.Find("#silence-ends").Change("2030-01-31T23:30");

        cut.Find("#silence-save").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#silence-dialog-title")));
        var body = JsonNode.Parse(Assert.Single(Api.RequestsTo("POST", Silences)).Body!)!;
        var starts = body["startsAt"]!.GetValue<DateTimeOffset>();
        var ends = body["endsAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(new DateTime(2030, 1, 31, 22, 0, 0), starts.ToLocalTime().DateTime);
        Assert.Equal(TimeSpan.FromMinutes(90), ends - starts);
        Assert.Null(body["schedule"]);
        Assert.Equal("alertname", body["matchers"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ServerValidationErrorsAppearOnTheScheduleFields()
    {
        Api.Problem("POST", Silences, HttpStatusCode.BadRequest, "The request is not valid.", new()
        {
            ["schedule.timeZone"] = ["Unknown time zone 'Mars/Olympus'."],
            ["schedule.days"] = ["Pick at least one day."],
        });
        var cut = RenderWithProviders<SilencesPage>();
        cut.WaitForElement("#silence-create").Click();
        cut.WaitForElement("#silence-mode-weekly").Click();
        cut.WaitForElement("#silence-timezone").Input("Mars/Olympus");

        cut.Find("#silence-save").Click();

        cut.WaitForAssertion(() => Assert.Contains("Unknown time zone", cut.Find("[id='silence-schedule.timeZone-field']").TextContent));
        Assert.Contains("Pick at least one day.", cut.Find("[id='silence-schedule.days-field']").TextContent);
        Assert.Empty(cut.FindAll("#silence-error"));
    }

    [Fact]
    public void ExpiringAsksFirst()
    {
        Api.NoContent("DELETE", $"{Silences}/1");
        var cut = RenderWithProviders<SilencesPage>();
        cut.WaitForElement("#silence-delete-1").Click();

        cut.WaitForAssertion(() => Assert.Contains("service=\"db\"", cut.Find("#confirm-message").TextContent));
        Assert.Empty(Api.RequestsTo("DELETE", $"{Silences}/1"));
        Api.Json("GET", Silences, new[] { Silence(1, "DB upgrade", activeNow: false, endsAt: Now.AddMinutes(-1)) });
        cut.Find("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Equal("Expired", cut.Find("#silence-active-1").TextContent.Trim()));
        Assert.Single(Api.RequestsTo("DELETE", $"{Silences}/1"));
    }

    [Fact]
    public void ACronScheduleReadsAsText() =>
        Assert.Equal("cron 0 2 * * 0 for 30 min (UTC)", SilenceText.Schedule(new SilenceSchedule("0 2 * * 0", null, null, 30, null)));
}
