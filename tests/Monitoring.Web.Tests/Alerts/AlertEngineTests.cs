using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Web.Incidents;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Alerts;

/// <summary>
/// The alert engine through the real host: real targets on loopback, real check results and
/// samples through the writers and the event bus, a real SQLite file. Notices are recorded by a
/// fake outbox so each test can say exactly what would have been sent.
/// </summary>
public sealed class AlertEngineTests : HostTests
{
    private readonly RecordingOutbox _outbox = new();

    protected override void ConfigureServices(IServiceCollection services) => RecordingOutbox.Register(services, _outbox);

    private Task<long> RegisterAsync(TargetServer target, string name, int? thresholdMs = null, long[]? dependsOn = null) => Client.CreateServiceAsync(new
    {
        name, type = "http", target = target.Url, intervalSeconds = 1, timeoutMs = 900, failureThreshold = 1, recoveryThreshold = 1,
        criticality = "high", thresholdMs, dependsOn = dependsOn ?? [],
    });

    [Fact]
    public async Task ATargetThatGoesDownRaisesACriticalAlert_LinkedToItsIncident_AndItResolvesWhenTheTargetIsBack()
    {
        await using var target = await TargetServer.StartAsync();
        var id = await RegisterAsync(target, "payments");
        await Client.WaitForStatusAsync(id, "healthy");
        await target.DownAsync();

        var alert = await Client.WaitForAlertAsync(a => a.GetProperty("serviceId").GetInt64() == id && a.Str("state") == "firing", "a firing alert");
        Assert.Equal("critical", alert.Str("severity"));
        Assert.Equal("Service down", alert.Str("ruleName"));
        Assert.StartsWith("Service payments is down: ", alert.Str("message"));
        var incidents = await Client.IncidentsAsync(id);
        var incidentId = incidents.Single(i => i.GetProperty("status").GetString() != "resolved").GetProperty("id").GetInt64();
        Assert.Equal(incidentId, alert.GetProperty("incidentId").GetInt64());
        Assert.Contains($"alert:{alert.Id()}:firing", _outbox.Keys);
        var notice = _outbox.Notices.Single(n => n.EventKey == $"alert:{alert.Id()}:firing");
        Assert.Equal("firing", notice.Kind);
        Assert.Equal("firing", notice.Alert.State);

        // Issue #5: a critical alert for a service stores its 5-minute average response time.
        await Eventually.WaitAsync(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/metrics?name=response_time_avg_5m&service=payments"),
            r => r.GetArrayLength() > 0, TimeSpan.FromSeconds(20), "the response_time_avg_5m sample");

        // The incident's timeline gets the alert's firing entry.
        var sources = Host.Services.GetServices<ITimelineSource>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var entries = new List<Monitoring.Core.Incidents.TimelineEntryDto>();
        foreach (var s in sources) entries.AddRange(await s.ReadAsync(new TimelineQuery(incidentId, [id], now - 3_600_000, now + 60_000), CancellationToken.None));
        Assert.Contains(entries, e => e.Type == "alert_firing" && e.Ref == $"alert:{alert.Id()}" && e.Actor == "system");

        await target.UpAsync();
        var resolved = await Client.WaitForAlertAsync(a => a.Id() == alert.Id() && a.Str("state") == "resolved", "the alert to resolve");
        Assert.NotNull(resolved.GetProperty("resolvedAt").GetString());
        Assert.Contains($"alert:{alert.Id()}:resolved", _outbox.Keys);
        Assert.Empty(await Client.AlertsAsync($"activeOnly=true&serviceId={id}"));
    }

    [Fact]
    public async Task ASlowTargetRaisesAWarningWithTheSeedMessage()
    {
        await using var target = await TargetServer.StartAsync();
        target.Delay = TimeSpan.FromMilliseconds(300);
        var id = await RegisterAsync(target, "search", thresholdMs: 100);
        var alert = await Client.WaitForAlertAsync(a => a.GetProperty("serviceId").GetInt64() == id && a.Str("state") == "firing", "a slow alert");
        Assert.Equal("warning", alert.Str("severity"));
        Assert.Matches(@"^Service search is slow: \d+ ms \(threshold 100 ms\)$", alert.Str("message"));
    }

    [Fact]
    public async Task AMetricRuleWaitsForItsPendingPeriod_FiresAndResolves_AndTheStreamCarriesEachStep()
    {
        var rule = await Client.CreateRuleAsync(new { name = "CPU high", query = "cpu_usage{host=\"a\"} > 80", forSeconds = 2, windowSeconds = 60, aggregation = "last", severity = "error" });
        using var sse = await SseLines.OpenAsync(Client, "/api/v1/stream?topics=alerts");
        await Client.PostSampleAsync("cpu_usage", 95, new() { ["host"] = "a" });
        await Client.PostSampleAsync("cpu_usage", 99, new() { ["host"] = "b" }); // not selected

        var pending = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id(), "a pending alert");
        Assert.Equal("pending", pending.Str("state"));
        Assert.Equal("a", pending.Label("host"));
        Assert.Equal("cpu_usage", pending.Label("metric"));
        Assert.DoesNotContain(_outbox.Keys, k => k.StartsWith($"alert:{pending.Id()}:", StringComparison.Ordinal));

        var firing = await Client.WaitForAlertAsync(a => a.Id() == pending.Id() && a.Str("state") == "firing", "the alert to fire");
        var held = firing.GetProperty("firedAt").GetDateTimeOffset() - firing.GetProperty("startedAt").GetDateTimeOffset();
        Assert.True(held >= TimeSpan.FromSeconds(2), $"fired after {held}");
        Assert.Equal(95, firing.GetProperty("value").GetDouble());
        Assert.Single(await Client.AlertsAsync("activeOnly=true"), a => a.GetProperty("ruleId").GetInt64() == rule.Id());

        await Client.PostSampleAsync("cpu_usage", 10, new() { ["host"] = "a" });
        await Client.WaitForAlertAsync(a => a.Id() == pending.Id() && a.Str("state") == "resolved", "the alert to resolve");
        Assert.Equal([$"alert:{pending.Id()}:firing", $"alert:{pending.Id()}:resolved"], _outbox.Keys.Where(k => k.StartsWith($"alert:{pending.Id()}:", StringComparison.Ordinal)));

        var types = new List<string>();
        while (!types.Contains("alert.resolved"))
        {
            var (type, data) = await sse.NextAsync(TimeSpan.FromSeconds(10));
            if (data.GetProperty("id").GetInt64() == pending.Id()) types.Add(type);
        }
        Assert.Equal(["alert.pending", "alert.firing", "alert.resolved"], types);
    }

    [Fact]
    public async Task AcknowledgingStopsRepeats_WhileAnUnacknowledgedAlertKeepsRepeating()
    {
        var rule = await Client.CreateRuleAsync(new { name = "Queue deep", query = "queue_depth > 100", aggregation = "max", windowSeconds = 3600, repeatIntervalSeconds = 1, severity = "warning" });
        await Client.PostSamplesAsync(
            new { name = "queue_depth", type = "gauge", value = 500, labels = new Dictionary<string, string> { ["q"] = "acked" } },
            new { name = "queue_depth", type = "gauge", value = 500, labels = new Dictionary<string, string> { ["q"] = "clock" } });
        var acked = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("q") == "acked" && a.Str("state") == "firing", "the first alert");
        var clock = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("q") == "clock" && a.Str("state") == "firing", "the second alert");
        await Eventually.WaitAsync(() => Task.FromResult(_outbox.Keys), k => k.Contains($"alert:{acked.Id()}:repeat:1"), TimeSpan.FromSeconds(10), "a repeat");

        var response = await Client.PostAsync($"/api/v1/alerts/{acked.Id()}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("key:bootstrap", body.Str("acknowledgedBy"));
        Assert.NotNull(body.GetProperty("acknowledgedAt").GetString());
        var repeatsAtAck = _outbox.Keys.Count(k => k.StartsWith($"alert:{acked.Id()}:repeat:", StringComparison.Ordinal));

        // The other alert is the clock: three more of its repeats means three more intervals passed.
        var clockRepeats = _outbox.Keys.Count(k => k.StartsWith($"alert:{clock.Id()}:repeat:", StringComparison.Ordinal));
        await Eventually.WaitAsync(() => Task.FromResult(_outbox.Keys.Count(k => k.StartsWith($"alert:{clock.Id()}:repeat:", StringComparison.Ordinal))),
            n => n >= clockRepeats + 3, TimeSpan.FromSeconds(15), "three more repeats of the unacknowledged alert");
        Assert.Equal(repeatsAtAck, _outbox.Keys.Count(k => k.StartsWith($"alert:{acked.Id()}:repeat:", StringComparison.Ordinal)));

        // Resolved by hand: a resolved notice, then acknowledging is a conflict.
        var resolved = await Client.PostAsync($"/api/v1/alerts/{acked.Id()}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("resolved", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).Str("state"));
        Assert.Contains($"alert:{acked.Id()}:resolved", _outbox.Keys);
        var conflict = await Client.PostAsync($"/api/v1/alerts/{acked.Id()}/acknowledge", null);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync("/api/v1/alerts/999999/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task ASilencedAlertIsRecordedButNotNotified_UntilTheSilenceIsRemoved()
    {
        var rule = await Client.CreateRuleAsync(new { name = "Disk full", query = "disk_used_percent >= 90", aggregation = "last", severity = "critical" });
        var silence = await Client.PostAsJsonAsync("/api/v1/silences", new
        {
            comment = "maintenance on b",
            matchers = new[] { new { name = "host", op = "=", value = "b" }, new { name = "alertname", op = "=~", value = "Disk.*" } },
            endsAt = DateTimeOffset.UtcNow.AddHours(1),
        });
        Assert.Equal(HttpStatusCode.Created, silence.StatusCode);
        var silenceBody = await silence.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(silenceBody.GetProperty("activeNow").GetBoolean());

        await Client.PostSamplesAsync(
            new { name = "disk_used_percent", type = "gauge", value = 95, labels = new Dictionary<string, string> { ["host"] = "b" } },
            new { name = "disk_used_percent", type = "gauge", value = 95, labels = new Dictionary<string, string> { ["host"] = "c" } });
        var silenced = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("host") == "b" && a.Str("state") == "firing", "the silenced alert");
        var loud = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("host") == "c" && a.Str("state") == "firing", "the other alert");
        Assert.True(silenced.GetProperty("silenced").GetBoolean());
        Assert.False(loud.GetProperty("silenced").GetBoolean());
        Assert.Contains($"alert:{loud.Id()}:firing", _outbox.Keys);
        Assert.DoesNotContain($"alert:{silenced.Id()}:firing", _outbox.Keys);
        Assert.Equal(0, silenced.GetProperty("notificationsSent").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/silences/{silenceBody.Id()}")).StatusCode);
        await Eventually.WaitAsync(() => Task.FromResult(_outbox.Keys), k => k.Contains($"alert:{silenced.Id()}:firing"), TimeSpan.FromSeconds(10), "the firing notice once unsilenced");
        // The outbox hears of the notice inside the engine's transaction; the API shows it once that commits.
        var after = await Eventually.WaitAsync(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{silenced.Id()}"),
            a => a.GetProperty("notificationsSent").GetInt32() > 0, TimeSpan.FromSeconds(10), "the alert's notification count");
        Assert.False(after.GetProperty("silenced").GetBoolean());
        Assert.Equal(1, after.GetProperty("notificationsSent").GetInt32());
    }

    [Fact]
    public async Task AServiceWhoseDependencyIsDownHasItsAlertSuppressedAndLinkedToTheUpstreamIncident()
    {
        await using var db = await TargetServer.StartAsync();
        await using var api = await TargetServer.StartAsync();
        var dbId = await RegisterAsync(db, "database");
        var apiId = await RegisterAsync(api, "api", dependsOn: [dbId]);
        await Client.WaitForStatusAsync(dbId, "healthy");
        await Client.WaitForStatusAsync(apiId, "healthy");

        await db.DownAsync();
        var upstream = await Client.WaitForAlertAsync(a => a.GetProperty("serviceId").GetInt64() == dbId && a.Str("state") == "firing", "the upstream alert");
        var upstreamIncident = upstream.GetProperty("incidentId").GetInt64();
        Assert.Contains($"alert:{upstream.Id()}:firing", _outbox.Keys);

        await api.DownAsync();
        var downstream = await Client.WaitForAlertAsync(a => a.GetProperty("serviceId").GetInt64() == apiId && a.Str("state") == "firing", "the downstream alert");
        Assert.True(downstream.GetProperty("suppressed").GetBoolean());
        Assert.Equal(upstreamIncident, downstream.GetProperty("suppressedByIncidentId").GetInt64());
        Assert.DoesNotContain(_outbox.Keys, k => k.StartsWith($"alert:{downstream.Id()}:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARestartKeepsFiringAlertsAndDoesNotNotifyThemAgain()
    {
        var rule = await Client.CreateRuleAsync(new { name = "Errors", query = "errors_total > 5", aggregation = "last", windowSeconds = 3600 });
        await Client.PostSampleAsync("errors_total", 10, new() { ["app"] = "a" });
        var firing = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Str("state") == "firing", "the alert");
        Assert.Single(_outbox.Keys, $"alert:{firing.Id()}:firing");

        await RestartAsync();
        var kept = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{firing.Id()}");
        Assert.Equal("firing", kept.Str("state"));
        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        Assert.True(stats.GetProperty("activeAlerts").GetInt32() >= 1);
        var report = await Client.GetFromJsonAsync<JsonElement>("/api/v1/report");
        Assert.Contains(report.GetProperty("activeAlerts").EnumerateArray(), a => a.Id() == firing.Id());

        // One batch: the known series still over the threshold, and a new one. Once the new one is
        // notified, the batch was evaluated; the old alert was not notified again.
        await Client.PostSamplesAsync(
            new { name = "errors_total", type = "gauge", value = 12, labels = new Dictionary<string, string> { ["app"] = "a" } },
            new { name = "errors_total", type = "gauge", value = 12, labels = new Dictionary<string, string> { ["app"] = "b" } });
        var second = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Label("app") == "b" && a.Str("state") == "firing", "the new alert");
        await Eventually.WaitAsync(() => Task.FromResult(_outbox.Keys), k => k.Contains($"alert:{second.Id()}:firing"), TimeSpan.FromSeconds(10), "the new alert's notice");
        Assert.Single(_outbox.Keys, $"alert:{firing.Id()}:firing");
        Assert.Equal(firing.Id(), (await Client.AlertsAsync("activeOnly=true")).Single(a => a.Label("app") == "a").Id());
    }

    [Fact]
    public async Task DeletingAServiceResolvesItsCheckAlerts()
    {
        await using var target = await TargetServer.StartAsync();
        var id = await RegisterAsync(target, "legacy");
        await Client.WaitForStatusAsync(id, "healthy");
        await target.DownAsync();
        var alert = await Client.WaitForAlertAsync(a => a.GetProperty("serviceId").GetInt64() == id && a.Str("state") == "firing", "a firing alert");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/services/{id}")).StatusCode);
        await Eventually.WaitAsync(() => Client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alert.Id()}"), a => a.Str("state") == "resolved",
            TimeSpan.FromSeconds(10), "the alert to resolve");
    }

    /// <summary>A minimal reader of an SSE response: the type and the data of each event.</summary>
    private sealed class SseLines(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public static async Task<SseLines> OpenAsync(HttpClient client, string url)
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new SseLines(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<(string Type, JsonElement Data)> NextAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var doc = JsonDocument.Parse(line[6..]).RootElement;
                if (doc.TryGetProperty("type", out var type)) return (type.GetString()!, doc.GetProperty("data"));
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
