using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Incidents;

/// <summary>
/// The whole path through the real host: a real HTTP target on loopback goes down and comes
/// back; checks run on schedule, an incident opens and closes with the right figures, and a
/// restart in the middle keeps services, results and the open incident.
/// </summary>
public sealed class IncidentLifecycleTests : IAsyncLifetime
{
    private const int IntervalMs = 1000;
    private const int MarginMs = 1500; // scheduling and writer latency on a busy 2-core machine
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

    private Task<long> RegisterAsync(int failureThreshold = 1, int recoveryThreshold = 1) => _client.CreateServiceAsync(new
    {
        name = "target", type = "http", target = _target.Url, intervalSeconds = IntervalMs / 1000, timeoutMs = 500,
        failureThreshold, recoveryThreshold, criticality = "high",
    });

    [Fact]
    public async Task TargetDownOpensAnIncidentWithinOneInterval_AndRecoveryClosesItWithItsDuration()
    {
        var id = await RegisterAsync();
        await _client.WaitForStatusAsync(id, "healthy");
        Assert.Empty(await _client.IncidentsAsync(id));

        var downAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _target.DownAsync();
        var open = (await Eventually.WaitAsync(() => _client.IncidentsAsync(id), l => l.Count == 1, TimeSpan.FromSeconds(15), "an incident")).Single();
        Assert.Equal("investigating", open.GetProperty("status").GetString());
        Assert.Equal("error", open.GetProperty("severity").GetString());
        // The first failed check (the incident's start) ran within one interval of the outage.
        Assert.InRange(open.Ms("startedAt"), downAt, downAt + IntervalMs + MarginMs);
        var active = await _client.GetFromJsonAsync<JsonElement>("/api/v1/incidents/active");
        Assert.Contains(active.EnumerateArray(), i => i.GetProperty("id").GetInt64() == open.GetProperty("id").GetInt64());

        // Let a few more checks fail, then bring the target back.
        await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.Count(r => r.GetProperty("status").GetString() == "unhealthy") >= 3,
            TimeSpan.FromSeconds(15), "three failed checks");
        var upAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _target.UpAsync();
        var closed = (await Eventually.WaitAsync(() => _client.IncidentsAsync(id), l => l.Single().GetProperty("status").GetString() == "resolved",
            TimeSpan.FromSeconds(15), "the incident to close")).Single();

        var started = closed.Ms("startedAt");
        var recovered = closed.Ms("recoveredAt");
        Assert.InRange(recovered, upAt, upAt + IntervalMs + MarginMs);
        Assert.Equal((recovered - started) / 1000.0, closed.GetProperty("durationSeconds").GetDouble(), 3);

        // checksFailedCount is exactly the failed results between start and recovery.
        var history = await _client.HistoryAsync(id);
        var failed = history.Count(r => r.GetProperty("status").GetString() == "unhealthy" && r.Ms("checkedAt") >= started && r.Ms("checkedAt") < recovered);
        Assert.Equal(failed, closed.GetProperty("checksFailedCount").GetInt32());
        Assert.Empty(await _client.GetFromJsonAsync<List<JsonElement>>("/api/v1/incidents/active") ?? []);

        // Uptime over 24 h is time-weighted and below 100 %, and MTTR is the one incident's duration.
        var uptime = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/services/{id}/uptime?period=24h");
        Assert.InRange(uptime.GetProperty("uptimePercent").GetDouble(), 1, 99.999);
        Assert.Equal(1, uptime.GetProperty("incidents").GetInt32());
        Assert.Equal(closed.GetProperty("durationSeconds").GetDouble(), uptime.GetProperty("mttrSeconds").GetDouble(), 2);
    }

    [Fact]
    public async Task FailureThresholdNeedsConsecutiveFailures_AndOnlyOneIncidentIsOpen()
    {
        var id = await RegisterAsync(failureThreshold: 3);
        await _client.WaitForStatusAsync(id, "healthy");
        await _target.DownAsync();
        await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.TakeWhile(r => r.GetProperty("status").GetString() == "unhealthy").Count() >= 2,
            TimeSpan.FromSeconds(15), "two failures");
        var history = await _client.HistoryAsync(id);
        var incidents = await _client.IncidentsAsync(id);
        // Either not yet open (2 failures), or opened by the 3rd that landed meanwhile; never before the 3rd.
        if (incidents.Count == 1)
            Assert.True(history.TakeWhile(r => r.GetProperty("status").GetString() == "unhealthy").Count() >= 3);
        await Eventually.WaitAsync(() => _client.IncidentsAsync(id), l => l.Count == 1, TimeSpan.FromSeconds(15), "the incident");
        await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.TakeWhile(r => r.GetProperty("status").GetString() == "unhealthy").Count() >= 6,
            TimeSpan.FromSeconds(20), "more failures");
        Assert.Single(await _client.IncidentsAsync(id));
    }

    [Fact]
    public async Task RestartKeepsServicesResultsAndTheOpenIncident_WhichThenClosesOnRecovery()
    {
        var id = await RegisterAsync();
        await _client.WaitForStatusAsync(id, "healthy");
        await _target.DownAsync();
        var open = (await Eventually.WaitAsync(() => _client.IncidentsAsync(id), l => l.Count == 1, TimeSpan.FromSeconds(15), "an incident")).Single();
        var resultsBefore = (await _client.HistoryAsync(id)).Count;

        await _host.DisposeAsync();
        _host = new MonitoringHost(_dir.Path);
        _client = _host.CreateClient();

        Assert.True((await _client.HistoryAsync(id)).Count >= resultsBefore);
        var kept = Assert.Single(await _client.IncidentsAsync(id));
        Assert.Equal(open.GetProperty("id").GetInt64(), kept.GetProperty("id").GetInt64());
        Assert.Equal("investigating", kept.GetProperty("status").GetString());
        Assert.Equal("unhealthy", await _client.StatusAsync(id));

        await _target.UpAsync();
        await Eventually.WaitAsync(() => _client.IncidentsAsync(id), l => l.Count == 1 && l[0].GetProperty("status").GetString() == "resolved",
            TimeSpan.FromSeconds(15), "the restored incident to close");
    }
}
