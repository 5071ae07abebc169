using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Web.Data;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Incidents;

/// <summary>
/// The server timeline of an automatic incident made by a real target going down and up, the
/// one-hour lead-up window, paging; a hand resolution while still failing; and the SSE topic.
/// </summary>
public sealed class IncidentTimelineTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private HttpClient _client = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _host = new MonitoringHost(_dir.Path);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _target.DisposeAsync();
        _dir.Dispose();
    }

    private Task<long> RegisterAsync(string name) => _client.CreateServiceAsync(new
    {
        name, type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900, failureThreshold = 1, recoveryThreshold = 1,
    });

    private async Task<JsonElement> OpenedAfterAsync(long serviceId, long downAt) =>
        (await Eventually.WaitAsync(() => _client.IncidentsAsync(serviceId), l => l.Any(i => i.Ms("startedAt") >= downAt), TimeSpan.FromSeconds(20), "an incident"))
            .First(i => i.Ms("startedAt") >= downAt);

    private async Task<JsonElement> TimelineAsync(long id, string query = "") =>
        await _client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/timeline{query}");

    private static List<JsonElement> Entries(JsonElement page) => page.GetProperty("entries").EnumerateArray().ToList();

    private static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    [Fact]
    public async Task AnAutomaticIncidentsTimelineTellsTheWholeStoryInOrder()
    {
        var serviceId = await RegisterAsync("shop-api");
        await _client.WaitForStatusAsync(serviceId, "healthy");
        var downAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _target.DownAsync();
        var incident = await OpenedAfterAsync(serviceId, downAt);
        var id = incident.GetProperty("id").GetInt64();
        var startedAt = incident.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Contains(serviceId, incident.GetProperty("serviceIds").EnumerateArray().Select(e => e.GetInt64()));

        // Events about the service: by source name, by serviceId tag; one inside the lead-up window's
        // edge, one just before it, one about something else.
        var edge = startedAt.AddHours(-1);
        async Task PostEventAsync(object e) => Assert.Equal(HttpStatusCode.Created, (await _client.PostAsJsonAsync("/api/v1/events", e)).StatusCode);
        await PostEventAsync(new { eventType = "log", source = "shop-api", level = "error", message = "connection refused" });
        await PostEventAsync(new { eventType = "log", source = "deployer", level = "info", message = "deployed shop 1.4.2", tags = new { serviceId = serviceId.ToString() } });
        await PostEventAsync(new { eventType = "log", source = "shop-api", level = "info", message = "inside the window", timestamp = edge.AddSeconds(1) });
        await PostEventAsync(new { eventType = "log", source = "shop-api", level = "info", message = "before the window", timestamp = edge.AddSeconds(-1) });
        await PostEventAsync(new { eventType = "log", source = "unrelated", level = "error", message = "not ours" });
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "looking at the load balancer" })).StatusCode);

        await Eventually.WaitAsync(() => _client.HistoryAsync(serviceId), h => h.TakeWhile(r => r.GetProperty("status").GetString() == "unhealthy").Count() >= 3,
            TimeSpan.FromSeconds(20), "three failed checks");
        await _target.UpAsync();
        await Eventually.WaitAsync(() => _client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}"), i => i.GetProperty("status").GetString() == "resolved",
            TimeSpan.FromSeconds(20), "the incident to close");

        var page = await TimelineAsync(id, "?limit=1000");
        var entries = Entries(page);
        Assert.Equal(entries.Count, page.GetProperty("total").GetInt32());
        Assert.Equal(startedAt.AddHours(-1), page.GetProperty("from").GetDateTimeOffset());
        var resolved = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal(resolved.GetProperty("resolvedAt").GetDateTimeOffset(), page.GetProperty("to").GetDateTimeOffset());

        // Oldest first, every entry typed and timestamped.
        var times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        var types = entries.Select(Type).ToList();
        foreach (var expected in new[] { "check_failed", "check_recovered", "status_changed", "incident_opened", "incident_resolved", "note", "event" })
            Assert.Contains(expected, types);

        // The story: failure (collapsed into one entry with its count) → status change → opened → … → recovered → resolved.
        var failed = entries.First(e => Type(e) == "check_failed");
        Assert.Equal(startedAt, failed.GetProperty("at").GetDateTimeOffset());
        Assert.Matches(@"shop-api: \d+ checks failed", failed.GetProperty("title").GetString());
        Assert.True(types.IndexOf("check_failed") < types.IndexOf("incident_opened"));
        Assert.True(types.IndexOf("incident_opened") < types.IndexOf("check_recovered"));
        Assert.True(types.LastIndexOf("check_recovered") <= types.LastIndexOf("incident_resolved"));
        var statusChanges = entries.Where(e => Type(e) == "status_changed" && e.GetProperty("at").GetDateTimeOffset() >= startedAt).Select(e => e.GetProperty("title").GetString()).ToList();
        Assert.Contains("shop-api: healthy → unhealthy", statusChanges);
        Assert.Contains("shop-api: unhealthy → healthy", statusChanges);
        Assert.Equal("looking at the load balancer", entries.Single(e => Type(e) == "note").GetProperty("detail").GetString());
        var events = entries.Where(e => Type(e) == "event").Select(e => e.GetProperty("detail").GetString()).ToList();
        Assert.Equal(["inside the window", "connection refused", "deployed shop 1.4.2"], events);

        // Paging is a window on the same ordered list.
        var paged = Entries(await TimelineAsync(id, "?limit=3&offset=2"));
        Assert.Equal(entries.Skip(2).Take(3).Select(e => e.GetRawText()), paged.Select(e => e.GetRawText()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/v1/incidents/{id}/timeline?limit=0")).StatusCode);
    }

    [Fact]
    public async Task ResolvingAnAutomaticIncidentByHandWhileFailing_OpensNoNewOneUntilTheNextOutage()
    {
        var serviceId = await RegisterAsync("flaky");
        await _client.WaitForStatusAsync(serviceId, "healthy");
        var downAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _target.DownAsync();
        var id = (await OpenedAfterAsync(serviceId, downAt)).GetProperty("id").GetInt64();

        var response = await _client.PutAsJsonAsync($"/api/v1/incidents/{id}", new { status = "resolved", rootCause = "known outage" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var resolvedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Eventually.WaitAsync(() => _client.HistoryAsync(serviceId), h => h.Count(r => r.Ms("checkedAt") > resolvedAt && r.GetProperty("status").GetString() == "unhealthy") >= 3,
            TimeSpan.FromSeconds(20), "three more failed checks");
        var incidents = await _client.IncidentsAsync(serviceId);
        Assert.DoesNotContain(incidents, i => i.GetProperty("status").GetString() != "resolved");
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>("/api/v1/incidents/active")).EnumerateArray());

        await _target.UpAsync();
        await _client.WaitForStatusAsync(serviceId, "healthy");
        var againAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _target.DownAsync();
        var next = await OpenedAfterAsync(serviceId, againAt);
        Assert.NotEqual(id, next.GetProperty("id").GetInt64());
        Assert.Equal("investigating", next.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheIncidentsTopicOfTheStreamCarriesEveryChange()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream?topics=incidents"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var created = await (await _client.PostAsJsonAsync("/api/v1/incidents", new { title = "streamed" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        await _client.PostAsync($"/api/v1/incidents/{id}/acknowledge", null);
        await _client.PutAsJsonAsync($"/api/v1/incidents/{id}", new { assignedTo = "ana" });
        await _client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "n" });
        await _client.PutAsJsonAsync($"/api/v1/incidents/{id}", new { status = "resolved" });

        var seen = new List<(string Event, string Type, long IncidentId)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (seen.Count < 5)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var data = JsonDocument.Parse(line[6..]).RootElement;
            seen.Add(("incidents", data.GetProperty("type").GetString()!, data.GetProperty("data").GetProperty("incidentId").GetInt64()));
        }
        Assert.Equal(["incident.opened", "incident.acknowledged", "incident.updated", "incident.note", "incident.resolved"], seen.Select(s => s.Type));
        Assert.All(seen, s => Assert.Equal(id, s.IncidentId));
    }

    [Fact]
    public async Task MttaAndMttrInStatsMatchHandComputedFigures()
    {
        var a = await _client.CreateServiceAsync(new { name = "alpha", type = "http", target = "http://127.0.0.1:9/", intervalSeconds = 3600, enabled = false });
        var b = await _client.CreateServiceAsync(new { name = "beta", type = "http", target = "http://127.0.0.1:9/", intervalSeconds = 3600, enabled = false });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const long H = 3_600_000, S = 1000;
        var factory = _host.Services.GetRequiredService<IDbContextFactory<MonitoringDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            IncidentEntity Row(long? service, long start, long? ack, long? recovered, long? resolved, bool automatic) => new()
            {
                Title = "t", ServiceId = service, IsAutomatic = automatic, StartedAtMs = start, AcknowledgedAtMs = ack,
                RecoveredAtMs = recovered, ResolvedAtMs = resolved, Status = resolved is null ? "investigating" : "resolved", UpdatedAtMs = start,
            };
            var rows = new[]
            {
                // alpha, automatic: ack after 60 s, recovered after 600 s (resolved a bit later: MTTR uses recovery)
                (Row(a, now - 10 * H, now - 10 * H + 60 * S, now - 10 * H + 600 * S, now - 10 * H + 601 * S, true), new[] { a }),
                // alpha, automatic: ack after 120 s, recovered after 300 s
                (Row(a, now - 5 * H, now - 5 * H + 120 * S, now - 5 * H + 300 * S, now - 5 * H + 300 * S, true), new[] { a }),
                // manual over alpha and beta: ack after 30 s, still open
                (Row(null, now - 2 * H, now - 2 * H + 30 * S, null, null, false), new[] { a, b }),
                // beta, manual: never acknowledged, resolved after 900 s
                (Row(null, now - 3 * H, null, now - 3 * H + 900 * S, now - 3 * H + 900 * S, false), new[] { b }),
                // alpha, two days ago: inside 30 d, outside 24 h
                (Row(a, now - 48 * H, now - 48 * H + 5000 * S, now - 48 * H + 9000 * S, now - 48 * H + 9000 * S, true), new[] { a }),
                // 40 days ago: outside the 30-day period
                (Row(a, now - 960 * H, now - 960 * H + 5000 * S, now - 960 * H + 9000 * S, now - 960 * H + 9000 * S, true), new[] { a }),
            };
            foreach (var (row, _) in rows) db.Incidents.Add(row);
            await db.SaveChangesAsync();
            foreach (var (row, links) in rows)
                db.IncidentServices.AddRange(links.Select(s => new Monitoring.Web.Incidents.IncidentServiceEntity { IncidentId = row.Id, ServiceId = s }));
            await db.SaveChangesAsync();
        }

        var stats = await _client.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        Assert.Equal("30d", stats.GetProperty("period").GetString());
        Assert.Equal((60 + 120 + 30 + 5000) / 4.0, stats.GetProperty("mttaSeconds").GetDouble(), 3);
        Assert.Equal((600 + 300 + 900 + 9000) / 4.0, stats.GetProperty("mttrSeconds").GetDouble(), 3);
        var services = stats.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("serviceId").GetInt64());
        Assert.Equal("alpha", services[a].GetProperty("name").GetString());
        Assert.Equal((60 + 120 + 30 + 5000) / 4.0, services[a].GetProperty("mttaSeconds").GetDouble(), 3);
        Assert.Equal((600 + 300 + 9000) / 3.0, services[a].GetProperty("mttrSeconds").GetDouble(), 3);
        Assert.Equal(4, services[a].GetProperty("incidents").GetInt32());
        Assert.Equal(30, services[b].GetProperty("mttaSeconds").GetDouble(), 3);
        Assert.Equal(900, services[b].GetProperty("mttrSeconds").GetDouble(), 3);
        Assert.Equal(2, services[b].GetProperty("incidents").GetInt32());

        // The uptime endpoint's MTTR for alpha (automatic incidents only) is the same figure.
        var uptime = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{a}/uptime?period=30d");
        Assert.Equal(services[a].GetProperty("mttrSeconds").GetDouble(), uptime.GetProperty("mttrSeconds").GetDouble(), 3);

        // Over 24 h the two-day-old incident drops out.
        var day = await _client.GetFromJsonAsync<JsonElement>("/api/v1/stats?period=24h");
        Assert.Equal((60 + 120 + 30) / 3.0, day.GetProperty("mttaSeconds").GetDouble(), 3);
        Assert.Equal((600 + 300 + 900) / 3.0, day.GetProperty("mttrSeconds").GetDouble(), 3);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/v1/stats?period=1y")).StatusCode);
    }
}
