using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Core.Checks;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Checks;

/// <summary>The scheduler through the real host: slots, registry changes, pause, delete, skips.</summary>
public sealed class SchedulerTests : IAsyncLifetime
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

    [Fact]
    public async Task ChecksRunOnTheirPhaseSlots_WithNoMissedOrDoubledSlot()
    {
        var id = await _client.CreateServiceAsync(new { name = "slots", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        var history = await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.Count >= 5, TimeSpan.FromSeconds(20), "five checks");
        var dues = history.Select(r => r.Ms("dueAt")).OrderBy(d => d).ToList();
        var phase = ScheduleMath.Phase(id, 1000);
        Assert.All(dues, d => Assert.Equal(phase, d % 1000));
        // Consecutive slots, never doubled; a slot may be missing only when the scheduler skipped it
        // (the previous check still running on a starved machine) and counted that on /metrics.
        var missed = 0L;
        for (var i = 1; i < dues.Count; i++)
        {
            var gap = dues[i] - dues[i - 1];
            Assert.True(gap >= 1000 && gap % 1000 == 0, $"slots {dues[i - 1]} and {dues[i]} are {gap} ms apart");
            missed += gap / 1000 - 1;
        }
        Assert.True(missed <= await SkippedAsync(), $"{missed} slots missing without a counted skip");
        Assert.True(missed * 4 < dues.Count, $"{missed} of {dues.Count + missed} slots skipped");
        // Each check started at or after its slot.
        Assert.All(history, r => Assert.True(r.Ms("checkedAt") >= r.Ms("dueAt")));
    }

    private async Task<long> SkippedAsync()
    {
        var text = await _client.GetStringAsync("/metrics");
        return text.Split('\n').Where(l => l.StartsWith("monitoring_checks_skipped_total{", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AnIntervalChangeTakesEffectWithoutRestart()
    {
        var id = await _client.CreateServiceAsync(new { name = "changing", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.Count >= 2, TimeSpan.FromSeconds(15), "two checks");
        var changedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (await _client.PutAsJsonAsync($"/api/v1/services/{id}", new { intervalSeconds = 2 })).EnsureSuccessStatusCode();
        var history = await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.Count(r => r.Ms("dueAt") > changedAt + 100) >= 3,
            TimeSpan.FromSeconds(20), "three checks on the new interval");
        var dues = history.Select(r => r.Ms("dueAt")).Where(d => d > changedAt + 100).OrderBy(d => d).ToList();
        for (var i = 1; i < dues.Count; i++) Assert.Equal(2000, dues[i] - dues[i - 1]);
        Assert.All(dues, d => Assert.Equal(ScheduleMath.Phase(id, 2000), d % 2000));
    }

    [Fact]
    public async Task PausedAndDeletedServicesAreNotChecked()
    {
        var paused = await _client.CreateServiceAsync(new { name = "paused", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900, enabled = false });
        var deleted = await _client.CreateServiceAsync(new { name = "deleted", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        var witness = await _client.CreateServiceAsync(new { name = "witness", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        await Eventually.WaitAsync(() => _client.HistoryAsync(deleted), h => h.Count >= 1, TimeSpan.FromSeconds(15), "a check of the soon-deleted service");
        (await _client.DeleteAsync($"/api/v1/services/{deleted}")).EnsureSuccessStatusCode();
        var witnessCount = (await _client.HistoryAsync(witness)).Count;
        // Three more slots of the witness pass: the paused one stays unchecked.
        await Eventually.WaitAsync(() => _client.HistoryAsync(witness), h => h.Count >= witnessCount + 3, TimeSpan.FromSeconds(15), "three witness checks");
        Assert.Empty(await _client.HistoryAsync(paused));
        Assert.Equal("paused", await _client.StatusAsync(paused));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/services/{deleted}/history")).StatusCode);
    }

    [Fact]
    public async Task ACheckStillRunningWhenDueAgainIsSkippedAndCounted()
    {
        // A port that accepts connections but never answers: with two retries of 900 ms each,
        // one check lasts ~2.7 s, longer than the 1 s interval.
        using var blackhole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blackhole.Start();
        var port = ((System.Net.IPEndPoint)blackhole.LocalEndpoint).Port;
        var id = await _client.CreateServiceAsync(new { name = "slow", type = "http", target = $"http://127.0.0.1:{port}/", intervalSeconds = 1, timeoutMs = 900, retries = 2 });
        var metrics = await Eventually.WaitAsync(() => _client.GetStringAsync("/metrics"), m => SkippedCount(m) >= 1, TimeSpan.FromSeconds(20), "a skipped check");
        Assert.True(SkippedCount(metrics) >= 1);
        var history = await Eventually.WaitAsync(() => _client.HistoryAsync(id), h => h.Count >= 1, TimeSpan.FromSeconds(20), "the slow check's result");
        Assert.Equal(3, history[0].GetProperty("attempts").GetInt32());
        Assert.Contains("Timed out", history[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task WhenEveryConcurrencySlotIsBusyDueChecksAreSkippedAndCounted_NotQueued()
    {
        await using var host = new MonitoringHost(Path.Combine(_dir.Path, "saturated"), new Dictionary<string, string?> { ["Monitoring:Checks:Concurrency"] = "1" });
        var client = host.CreateClient();
        using var blackhole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blackhole.Start();
        var port = ((System.Net.IPEndPoint)blackhole.LocalEndpoint).Port;
        // Each slow check holds the only slot for ~2.7 s; the other services' slots come meanwhile.
        await client.CreateServiceAsync(new { name = "slow", type = "http", target = $"http://127.0.0.1:{port}/", intervalSeconds = 3, timeoutMs = 900, retries = 2 });
        for (var i = 0; i < 3; i++)
            await client.CreateServiceAsync(new { name = $"fast{i}", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        await Eventually.WaitAsync(() => client.GetStringAsync("/metrics"), m => Saturated(m) >= 1, TimeSpan.FromSeconds(20), "a saturated skip");
        // The loop kept going: checks that got a slot started close to their slot, never a whole interval late.
        var ids = (await client.GetFromJsonAsync<JsonElement>("/api/v1/services")).EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ToList();
        foreach (var id in ids)
            foreach (var r in await client.HistoryAsync(id))
                Assert.True(r.Ms("checkedAt") - r.Ms("dueAt") < 1000, "a check started a whole interval late: the scheduler waited for a slot");
    }

    private static long Saturated(string metrics) =>
        long.Parse(metrics.Split('\n').Single(l => l.StartsWith("monitoring_checks_skipped_total{reason=\"saturated\"} ", StringComparison.Ordinal)).Split(' ')[1]);

    private static long SkippedCount(string metrics) =>
        long.Parse(metrics.Split('\n').Single(l => l.StartsWith("monitoring_checks_skipped_total{reason=\"overlap\"} ", StringComparison.Ordinal)).Split(' ')[1]);

    [Fact]
    public async Task CheckNowReturnsADurableResult()
    {
        var id = await _client.CreateServiceAsync(new { name = "now", type = "http", target = _target.Url, intervalSeconds = 3600, timeoutMs = 2000 });
        var response = await _client.PostAsync($"/api/v1/services/{id}/check", null);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", result.GetProperty("status").GetString());
        Assert.Equal(200, result.GetProperty("statusCode").GetInt32());
        var history = await _client.HistoryAsync(id);
        Assert.Contains(history, r => r.Ms("checkedAt") == result.Ms("checkedAt"));
    }
}
