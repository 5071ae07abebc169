using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Monitoring.Client.Alerts;
using static Monitoring.Client.Tests.Alerts.AlertsData;

namespace Monitoring.Client.Tests.Alerts;

public sealed class AlertRulesPageTests : AlertsTestContext
{
    private const string Rules = AlertsApi.Rules;
    private const string Preview = AlertsApi.Rules + "/preview";

    public AlertRulesPageTests()
    {
        Api.Json("GET", Rules, new[]
        {
            Rule(1, "CPU high", channelIds: [1, 2]),
            Rule(2, "Checkout latency", kind: "latency", query: null, threshold: 500, forSeconds: 0, serviceIds: [3], enabled: false, severity: "critical"),
        });
    }

    [Fact]
    public void ListsRulesWithTheirConditionAsText()
    {
        var cut = RenderWithProviders<AlertRulesPage>();

        cut.WaitForAssertion(() => Assert.Equal("CPU high", cut.Find("#rule-name-1").TextContent));
        Assert.Equal("cpu_usage{host=\"a\"} > 80 for 60s", cut.Find("#rule-condition-1").TextContent);
        Assert.Equal("Metric threshold", cut.Find("#rule-kind-1").TextContent);
        Assert.Equal("latency > 500 ms", cut.Find("#rule-condition-2").TextContent);
        Assert.Equal("Latency", cut.Find("#rule-kind-2").TextContent);
        cut.WaitForAssertion(() => Assert.Equal("ops-slack, pager", cut.Find("#rule-channels-1").TextContent));
        Assert.Equal("checkout", cut.Find("#rule-scope-2").TextContent);
        Assert.Equal("Warning", cut.Find("#rule-severity-1").TextContent.Trim());
        Assert.Equal("Critical", cut.Find("#rule-severity-2").TextContent.Trim());
        Assert.Equal("Enabled", cut.Find("#rule-enabled-1").TextContent.Trim());
        Assert.Equal("Disabled", cut.Find("#rule-enabled-2").TextContent.Trim());
        Assert.NotEmpty(cut.Find("#rule-enabled-2").QuerySelectorAll("svg"));
    }

    [Fact]
    public void ServerValidationErrorsAppearOnTheirFields()
    {
        Api.Problem("POST", Rules, HttpStatusCode.BadRequest, "The request is not valid.", new()
        {
            ["query"] = ["Query must be a metric name with optional label matchers."],
            ["threshold"] = ["Threshold is required."],
            ["somethingElse"] = ["Shown in the banner."],
        });
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-create").Click();
        cut.WaitForElement("#rule-name").Input("CPU high");
        cut.Find("#rule-query").Input("cpu usage{");

        cut.Find("#rule-save").Click();

        cut.WaitForAssertion(() => Assert.Contains("Query must be a metric name", cut.Find("#rule-query-field").TextContent));
        Assert.Contains("Threshold is required.", cut.Find("#rule-threshold-field").TextContent);
        Assert.Equal("Shown in the banner.", cut.Find("#rule-error").TextContent.Trim());
        Assert.DoesNotContain("Query must be", cut.Find("#rule-error").TextContent);
        Assert.NotNull(cut.Find("#rule-dialog-title"));
    }

    [Fact]
    public void ThePreviewIsAskedForAfterAnEditAndShown()
    {
        Api.Json("POST", Preview, new
        {
            items = new object[]
            {
                new { labels = new Dictionary<string, string> { ["host"] = "a" }, value = 93.5, conditionMet = true },
                new { labels = new Dictionary<string, string> { ["host"] = "b" }, value = 12.0, conditionMet = false },
            },
            evaluatedAt = Now,
        });
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-create").Click();
        cut.WaitForElement("#rule-preview-hint");
        cut.Find("#rule-query").Input("cpu_usage");
        cut.Find("#rule-threshold").Input("80");

        // Debounced: nothing is asked while the person is typing.
        Time.Advance(AlertRuleDialog.PreviewDelay / 2);
        Assert.Empty(Api.RequestsTo("POST", Preview));
        Time.Advance(AlertRuleDialog.PreviewDelay);

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#rule-preview-item-0").GetAttribute("data-condition-met")));
        var sent = Assert.Single(Api.RequestsTo("POST", Preview));
        using (var body = JsonDocument.Parse(sent.Body!))
        {
            Assert.Equal("cpu_usage", body.RootElement.GetProperty("query").GetString());
            Assert.Equal(80, body.RootElement.GetProperty("threshold").GetDouble());
            Assert.Equal("metric", body.RootElement.GetProperty("kind").GetString());
        }
        var holding = cut.Find("#rule-preview-item-0");
        Assert.Contains("Condition holds", holding.TextContent);
        Assert.Contains("{host=\"a\"}", holding.TextContent);
        Assert.Contains("93.5", holding.TextContent);
        Assert.NotEmpty(holding.QuerySelectorAll("svg"));
        Assert.Contains("Condition does not hold", cut.Find("#rule-preview-item-1").TextContent);
        Assert.Equal("The condition holds for 1 of 2 matching.", cut.Find("#rule-preview-summary").TextContent);
        Assert.Equal("cpu_usage > 80", cut.Find("#rule-preview-condition").TextContent);

        // While the dialog is open the preview is refreshed.
        Time.Advance(AlertRuleDialog.PreviewRefresh);
        cut.WaitForAssertion(() => Assert.Equal(2, Api.RequestsTo("POST", Preview).Count()));
    }

    [Fact]
    public void APreviewTheServerRefusesIsExplainedInline()
    {
        Api.Problem("POST", Preview, HttpStatusCode.BadRequest, "The request is not valid.", new() { ["query"] = ["Unknown label matcher syntax."] });
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-create").Click();
        cut.WaitForElement("#rule-query").Input("cpu{host=");

        Time.Advance(AlertRuleDialog.PreviewDelay);

        cut.WaitForAssertion(() => Assert.Contains("Unknown label matcher syntax.", cut.Find("#rule-preview-error").TextContent));
        Assert.Empty(cut.FindAll("#rule-preview-items"));
    }

    [Fact]
    public void CreatingARuleSendsTheFormAndReloadsTheList()
    {
        Api.Json("POST", Rules, Rule(9, "Disk full", query: "disk_used_percent"), HttpStatusCode.Created);
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-create").Click();
        cut.WaitForElement("#rule-name").Input("Disk full");
        cut.Find("#rule-query").Input("disk_used_percent{mount=\"/\"}");
        cut.Find("#rule-threshold").Input("90");
        cut.Find("#rule-for").Input("120");
        cut.Find("#rule-label-add").Click();
        cut.WaitForElement("#rule-label-key-0").Input("team");
        cut.Find("#rule-label-value-0").Input("storage");
        Api.Json("GET", Rules, new[] { Rule(9, "Disk full", query: "disk_used_percent") });

        cut.Find("#rule-save").Click();

        cut.WaitForAssertion(() => Assert.Equal("Disk full", cut.Find("#rule-name-9").TextContent));
        Assert.Empty(cut.FindAll("#rule-dialog-title"));
        var sent = Assert.Single(Api.RequestsTo("POST", Rules));
        AssertJson(
            """{"name":"Disk full","kind":"metric","query":"disk_used_percent{mount=\"/\"}","operator":">","threshold":90,"forSeconds":120,"windowSeconds":60,"aggregation":"avg","severity":"warning","labels":{"team":"storage"},"channelIds":[],"repeatIntervalSeconds":3600,"enabled":true}""",
            sent.Body);
    }

    private static void AssertJson(string expected, string? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual!)), $"Expected {expected}\nActual   {actual}");

    [Fact]
    public void EditingARuleStartsFromItAndSendsAPut()
    {
        Api.Json("PUT", $"{Rules}/1", Rule(1, "CPU very high", threshold: 95));
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-edit-1").Click();
        cut.WaitForAssertion(() => Assert.Equal("cpu_usage{host=\"a\"}", cut.Find("#rule-query").GetAttribute("value")));
        cut.Find("#rule-threshold").Input("95");

        cut.Find("#rule-save").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#rule-dialog-title")));
        var sent = Assert.Single(Api.RequestsTo("PUT", $"{Rules}/1"));
        using var body = JsonDocument.Parse(sent.Body!);
        Assert.Equal(95, body.RootElement.GetProperty("threshold").GetDouble());
        Assert.Equal("CPU high", body.RootElement.GetProperty("name").GetString());
        Assert.Equal([1, 2], body.RootElement.GetProperty("channelIds").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("web", body.RootElement.GetProperty("labels").GetProperty("team").GetString());
    }

    [Fact]
    public void ABuiltInKindAsksForItsOwnThresholdAndServices()
    {
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-edit-2").Click();

        cut.WaitForElement("#rule-serviceIds-field");
        Assert.Empty(cut.FindAll("#rule-query"));
        Assert.Contains("Latency threshold (ms)", cut.Find("#rule-threshold-field").TextContent);
    }

    [Fact]
    public void DeletingAsksFirst()
    {
        Api.NoContent("DELETE", $"{Rules}/1");
        var cut = RenderWithProviders<AlertRulesPage>();
        cut.WaitForElement("#rule-delete-1").Click();

        cut.WaitForAssertion(() => Assert.Contains("\"CPU high\"", cut.Find("#confirm-message").TextContent));
        Assert.Empty(Api.RequestsTo("DELETE", $"{Rules}/1"));
        Api.Json("GET", Rules, new[] { Rule(2, "Checkout latency", kind: "latency", query: null) });
        cut.Find("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#rule-name-1")));
        Assert.Single(Api.RequestsTo("DELETE", $"{Rules}/1"));
    }
}
