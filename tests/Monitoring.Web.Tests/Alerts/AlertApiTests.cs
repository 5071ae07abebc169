using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Alerts;

/// <summary>Rules, silences and alerts over HTTP: validation that names the field, 404s, seeding and the live preview.</summary>
public sealed class AlertApiTests : HostTests
{
    private async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task TwoBuiltInRulesAreSeededOnce_AndADeletedOneStaysDeletedAfterARestart()
    {
        var rules = await Client.GetFromJsonAsync<List<JsonElement>>("/api/v1/alert-rules");
        Assert.Equal(["Service down", "Service slow"], rules!.Select(r => r.Str("name")));
        Assert.Equal(["check_unhealthy", "check_degraded"], rules!.Select(r => r.Str("kind")));
        Assert.Equal(["critical", "warning"], rules!.Select(r => r.Str("severity")));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/alert-rules/{rules![1].Id()}")).StatusCode);
        await RestartAsync();
        var after = await Client.GetFromJsonAsync<List<JsonElement>>("/api/v1/alert-rules");
        Assert.Equal(["Service down"], after!.Select(r => r.Str("name")));
    }

    [Fact]
    public async Task RuleValidationNamesTheField()
    {
        var errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", query = "cpu", @operator = "=>", threshold = 1 }));
        Assert.Contains("> >= < <= == !=", errors.GetProperty("operator")[0].GetString());
        errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", query = "cpu{host=a}", @operator = ">", threshold = 1 }));
        Assert.Contains("position 9", errors.GetProperty("query")[0].GetString());
        errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/alert-rules", new { name = "", query = "cpu > 1", forSeconds = -1, severity = "urgent", serviceIds = new[] { 424242 }, kind = "metric" }));
        foreach (var field in new[] { "name", "forSeconds", "severity", "serviceIds" }) Assert.True(errors.TryGetProperty(field, out _), field);
        errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", kind = "latency", serviceIds = new[] { 424242 } }));
        Assert.True(errors.TryGetProperty("threshold", out _));
        Assert.Contains("424242", errors.GetProperty("serviceIds")[0].GetString());
        errors = await ProblemAsync(await Client.PostAsync("/api/v1/alert-rules", new StringContent("{\"name\":\"x\",\"forSeconds\":\"soon\"}", System.Text.Encoding.UTF8, "application/json")));
        Assert.True(errors.TryGetProperty("forSeconds", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/alert-rules/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync("/api/v1/alert-rules/999999", new { name = "x", query = "a > 1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/alerts/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/silences/999999")).StatusCode);
        errors = await ProblemAsync(await Client.GetAsync("/api/v1/alerts?severity=urgent&state=open&activeOnly=maybe&limit=0"));
        foreach (var field in new[] { "severity", "state", "activeOnly", "limit" }) Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task ARuleCanBeReadUpdatedAndDeleted_AndTheAuditLogNamesTheActor()
    {
        var created = await Client.CreateRuleAsync(new { name = "Mem", query = "mem_used{host=~\"web-.*\"}", @operator = ">=", threshold = 90, forSeconds = 30, labels = new { team = "ops" } });
        Assert.Equal(">=", created.Str("operator"));
        Assert.Equal("ops", created.GetProperty("labels").GetProperty("team").GetString());
        var put = await Client.PutAsJsonAsync($"/api/v1/alert-rules/{created.Id()}", new { name = "Mem", query = "mem_used > 95", severity = "critical", enabled = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/alert-rules/{created.Id()}");
        Assert.Equal(95, updated.GetProperty("threshold").GetDouble());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/alert-rules/{created.Id()}")).StatusCode);
        var audit = await Client.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=50");
        var actions = audit.ValueKind == JsonValueKind.Array ? audit.EnumerateArray().ToList() : audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(actions, a => a.Str("action") == "alert-rule.create");
        Assert.Contains(actions, a => a.Str("action") == "alert-rule.delete");
    }

    [Fact]
    public async Task SilenceValidationNamesTheField_AndAMaintenanceWindowIsASilenceWithASchedule()
    {
        var errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/silences", new
        {
            matchers = new[] { new { name = "service", op = "~", value = "x" } },
            startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddHours(-1),
        }));
        Assert.True(errors.TryGetProperty("matchers[0].op", out _));
        Assert.Equal("EndsAt must be after startsAt.", errors.GetProperty("endsAt")[0].GetString());
        errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/silences", new
        {
            matchers = new[] { new { name = "service", op = "=", value = "x" } },
            schedule = new { cron = "0 25 * * *", durationMinutes = 60, timeZone = "Nowhere/City" },
        }));
        Assert.True(errors.TryGetProperty("schedule.cron", out _));
        Assert.True(errors.TryGetProperty("schedule.timeZone", out _));

        var created = await Client.PostAsJsonAsync("/api/v1/silences", new
        {
            comment = "weekly patching",
            matchers = new[] { new { name = "service", op = "=", value = "db" } },
            schedule = new { days = new[] { "sat", "sun" }, start = "02:00", durationMinutes = 120, timeZone = "Europe/Berlin" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Europe/Berlin", body.GetProperty("schedule").GetProperty("timeZone").GetString());
        Assert.Equal("key:bootstrap", body.Str("createdBy"));
        var list = await Client.GetFromJsonAsync<List<JsonElement>>("/api/v1/silences");
        Assert.Contains(list!, s => s.Id() == body.Id());
    }

    [Fact]
    public async Task ThePreviewShowsTheCurrentValuePerMatchingSeries()
    {
        await Client.CreateRuleAsync(new { name = "Temp", query = "temperature > 1000", aggregation = "last" }); // makes the engine track the series
        await Client.PostSamplesAsync(
            new { name = "temperature", type = "gauge", value = 30, labels = new Dictionary<string, string> { ["room"] = "a" } },
            new { name = "temperature", type = "gauge", value = 50, labels = new Dictionary<string, string> { ["room"] = "b" } });
        var preview = await Eventually.WaitAsync(async () =>
            {
                var r = await Client.PostAsJsonAsync("/api/v1/alert-rules/preview", new { name = "p", query = "temperature{room=~\"a|b\"} > 40", aggregation = "last" });
                return await r.Content.ReadFromJsonAsync<JsonElement>();
            }, p => p.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("value").ValueKind == JsonValueKind.Number) == 2,
            TimeSpan.FromSeconds(10), "values for both series");
        var items = preview.GetProperty("items").EnumerateArray().ToDictionary(i => i.Label("room"));
        Assert.False(items["a"].GetProperty("conditionMet").GetBoolean());
        Assert.True(items["b"].GetProperty("conditionMet").GetBoolean());
        Assert.Equal(50, items["b"].GetProperty("value").GetDouble());
        var errors = await ProblemAsync(await Client.PostAsJsonAsync("/api/v1/alert-rules/preview", new { name = "p", query = "temperature{" }));
        Assert.True(errors.TryGetProperty("query", out _));
    }

    [Fact]
    public async Task RetentionDeletesAlertsResolvedLongAgo_WithTheirHistory_AndKeepsActiveOnes()
    {
        var rule = await Client.CreateRuleAsync(new { name = "Old", query = "old_metric > 1", aggregation = "last" });
        await Client.PostSamplesAsync(
            new { name = "old_metric", type = "gauge", value = 5, labels = new Dictionary<string, string> { ["k"] = "gone" } },
            new { name = "old_metric", type = "gauge", value = 5, labels = new Dictionary<string, string> { ["k"] = "kept" } });
        var gone = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("k") == "gone" && a.Str("state") == "firing", "the first alert");
        var kept = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("k") == "kept" && a.Str("state") == "firing", "the second alert");
        (await Client.PostAsync($"/api/v1/alerts/{gone.Id()}/resolve", null)).EnsureSuccessStatusCode();

        // /metrics carries the engine's figures.
        var metrics = await Client.GetStringAsync("/metrics");
        foreach (var name in new[] { "monitoring_alerts_firing", "monitoring_alerts_pending", "monitoring_alert_evaluations_total", "monitoring_alert_engine_queue_depth", "monitoring_alert_bus_dropped_total" })
            Assert.Contains(name, metrics);

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Host.DataDirectory, "monitoring.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"UPDATE alerts SET ResolvedAtMs = ResolvedAtMs - {91L * 86_400_000} WHERE Id = {gone.Id()}";
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var job = Host.Services.GetRequiredService<Monitoring.Web.Alerts.AlertRetentionJob>();
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/alerts/{gone.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/v1/alerts/{kept.Id()}")).StatusCode);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Host.DataDirectory, "monitoring.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM alert_events WHERE AlertId = {gone.Id()}";
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }
    }
}
