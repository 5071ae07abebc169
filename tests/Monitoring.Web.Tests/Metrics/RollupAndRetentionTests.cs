using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Metrics;
using Monitoring.Web.Metrics;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

public sealed class RollupAndRetentionTests : IAsyncLifetime
{
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        // The tests run the jobs themselves: the recurring schedules never fire here (Hangfire's
        // "never": 31 February), or a run at the top of a minute would take the work from under them.
        _host = new MonitoringHost(_dir.Path, new Dictionary<string, string?>
        {
            ["Monitoring:Host:Enabled"] = "false",
            ["Monitoring:Metrics:RollupSchedule"] = "0 0 31 2 *",
            ["Monitoring:Retention:Schedule"] = "0 0 31 2 *",
        });
        _client = _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private static void AssertWithinSketchError(double expected, double actual, string what)
    {
        var tolerance = Math.Abs(expected) * QuantileSketch.RelativeAccuracy + 1e-9;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected} ± {tolerance}, got {actual}");
    }

    [Fact]
    public async Task RollupsAnswerLongQueriesLikeABruteForceOverTheRawSamples()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = now - now % HourMs - 5 * HourMs;  // three whole hours, 5 h to 2 h ago
        var random = new Random(42);
        var samples = new List<(long Ts, double Value, string Env)>();
        for (var t = start; t < start + 3 * HourMs; t += 1_500)
            samples.Add((t, Math.Round(Math.Exp(random.NextDouble() * 6), 3), random.Next(3) == 0 ? "dev" : "prod"));
        foreach (var chunk in samples.Chunk(5_000))
            await _client.PostSamplesAsync(chunk.Select(s => new { name = "latency_ms", type = "histogram", value = s.Value, labels = new { env = s.Env }, timestamp = MetricsTestSupport.Iso(s.Ts) }).ToArray());

        var job = _host.Services.GetRequiredService<MetricRollupJob>();
        var (minuteRows, hourRows) = await job.RunAsync(CancellationToken.None);
        Assert.Equal(2 * 180, minuteRows);   // two series × 180 minutes
        Assert.Equal(2 * 3, hourRows);
        Assert.Equal((0, 0), await job.RunAsync(CancellationToken.None)); // caught up; idempotent

        var prod = samples.Where(s => s.Env == "prod").ToList();
        foreach (var (agg, step, range, source) in new[] { ("p95", "1h", 3 * 86_400_000L, "1h"), ("p99", "5m", 7 * HourMs, "1m"), ("avg", "1h", 3 * 86_400_000L, "1h"), ("max", "5m", 7 * HourMs, "1m") })
        {
            var stepMs = step == "1h" ? HourMs : 5 * MinuteMs;
            var url = $"/api/v1/metrics/query?name=latency_ms&labels=env%3Dprod&agg={agg}&step={step}&from={Uri.EscapeDataString(MetricsTestSupport.Iso(now - range))}&to={Uri.EscapeDataString(MetricsTestSupport.Iso(now))}";
            var body = await _client.GetFromJsonAsync<JsonElement>(url);
            Assert.StartsWith(source, body.GetProperty("source").GetString());
            var series = body.GetProperty("series").EnumerateArray().Single();
            var points = series.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal((int)(3 * HourMs / stepMs), points.Count);
            foreach (var p in points)
            {
                var t = p.GetProperty("timestamp").GetDateTimeOffset().ToUnixTimeMilliseconds();
                var values = prod.Where(s => s.Ts >= t && s.Ts < t + stepMs).Select(s => s.Value).Order().ToList();
                var actual = p.GetProperty("value").GetDouble();
                switch (agg)
                {
                    case "avg": Assert.Equal(values.Average(), actual, 6); break;
                    case "max": Assert.Equal(values.Max(), actual); break;
                    default:
                        var q = agg == "p95" ? 0.95 : 0.99;
                        AssertWithinSketchError(values[(int)Math.Floor(q * (values.Count - 1))], actual, $"{agg} at {t}");
                        break;
                }
            }
        }

        // Short ranges read raw samples.
        var raw = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/metrics/query?name=latency_ms&agg=count&step=60s&from={Uri.EscapeDataString(MetricsTestSupport.Iso(start))}&to={Uri.EscapeDataString(MetricsTestSupport.Iso(start + HourMs - 1))}");
        Assert.Equal("raw", raw.GetProperty("source").GetString());
        Assert.Equal(samples.Count(s => s.Ts < start + HourMs), raw.GetProperty("series").EnumerateArray().Sum(s => s.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("value").GetDouble())));
    }

    [Fact]
    public async Task QueryValidationNamesTheField()
    {
        foreach (var (query, field) in new[] { ("agg=avg", "name"), ("name=x&agg=median", "agg"), ("name=x&step=soon", "step"), ("name=x&labels=nope", "labels"), ("name=x&from=yesterday", "from"), ("name=x&step=1ms&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", "step") })
        {
            var response = await _client.GetAsync($"/api/v1/metrics/query?{query}");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }

    [Fact]
    public async Task ThirtyDayQueriesReadTheHourRollups()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _client.PostSamplesAsync(Enumerable.Range(0, 20).Select(i => new { name = "cpu", type = "gauge", value = 1, labels = new { core = i.ToString() } }).ToArray());
        // 30 days of hour rollups (and 2 days of minute rollups) for 20 series, written as the job would.
        var hourEnd = now - now % HourMs;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "monitoring.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tx = connection.BeginTransaction();
            var sketch = new QuantileSketch();
            for (var v = 1; v <= 100; v++) sketch.Add(v);
            var bytes = sketch.ToBytes();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "INSERT INTO metric_rollups_1h (SeriesId, Ts, Count, Sum, Min, Max, Sketch) SELECT Id, $t, 100, 5050, 1, 100, $sk FROM metric_series";
                var t = cmd.Parameters.AddWithValue("$t", 0L);
                cmd.Parameters.AddWithValue("$sk", bytes);
                for (var i = 1; i <= 30 * 24; i++) { t.Value = hourEnd - i * HourMs; await cmd.ExecuteNonQueryAsync(); }
            }
            var ids = new List<long>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT Id FROM metric_series";
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
            }
            var minute = new MinuteRollup(100, 5050, 1, 100, bytes);
            await RollupStore.UpsertMinutesAsync(connection, tx,
                ids.SelectMany(id => Enumerable.Range(1, 2 * 1440).Select(i => (id, hourEnd - i * MinuteMs, minute))), CancellationToken.None);
            await using var state = connection.CreateCommand();
            state.CommandText = $"INSERT INTO metric_rollup_state (Level, DoneUntilMs) VALUES ('1h', {hourEnd}), ('1m', {hourEnd})";
            await state.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        var url = $"/api/v1/metrics/query?name=cpu&agg=p95&step=1h&from={Uri.EscapeDataString(MetricsTestSupport.Iso(now - 30 * 86_400_000L))}&to={Uri.EscapeDataString(MetricsTestSupport.Iso(now))}";
        var body = await _client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(20, body.GetProperty("series").GetArrayLength());
        Assert.StartsWith("1h", body.GetProperty("source").GetString());
        Assert.True(body.GetProperty("series")[0].GetProperty("points").GetArrayLength() >= 30 * 24);
        AssertWithinSketchError(95, body.GetProperty("series")[0].GetProperty("points")[0].GetProperty("value").GetDouble(), "p95");
        // How long this takes is measured by bench/Monitoring.Benchmarks (MetricQueryBenchmarks), not asserted here:
        // timings on a shared machine make flaky tests.
    }

    [Fact]
    public async Task RetentionDeletesExactlyWhatIsOlderThanEachWindow()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var day = 86_400_000L;
        await _client.PostSamplesAsync(new[] { new { name = "kept", type = "gauge", value = 1 }, new { name = "old", type = "gauge", value = 1 } });
        await _client.PostAsJsonAsync("/api/v1/events", new object[]
        {
            new { eventType = "log", message = "old", timestamp = MetricsTestSupport.Iso(now - 8 * day) },
            new { eventType = "log", message = "new", timestamp = MetricsTestSupport.Iso(now - 6 * day) },
        });
        // 12,000 raw samples older than 48 h (several chunks) in one series, 5 inside; written through the
        // sample writer (the API refuses timestamps outside the raw window) and compacted into chunks.
        await SampleStoreTests.WriteAsync(_host, "old", Enumerable.Range(0, 12_000).Select(i => (now - 49 * HourMs - i * 1000L, 1.0)));
        await SampleStoreTests.WriteAsync(_host, "old", Enumerable.Range(0, 5).Select(i => (now - 47 * HourMs + i, 1.0)));
        await SampleStoreTests.CompactAsync(_host);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "monitoring.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tx = connection.BeginTransaction();
            async Task Insert(string table, string seriesName, long ts)
            {
                if (table == RollupStore.MinuteTable)
                {
                    var id = await new SqliteCommand($"SELECT Id FROM metric_series WHERE Name = '{seriesName}'", connection, tx).ExecuteScalarAsync();
                    await RollupStore.UpsertMinutesAsync(connection, tx, [((long)id!, ts - ts % MinuteMs, new MinuteRollup(1, 1, 1, 1, []))], CancellationToken.None);
                    return;
                }
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = $"INSERT INTO {table} (SeriesId, Ts, Count, Sum, Min, Max, Sketch) SELECT Id, {ts}, 1, 1, 1, 1, x'' FROM metric_series WHERE Name = '{seriesName}'";
                await cmd.ExecuteNonQueryAsync();
            }
            await Insert("metric_rollups_1m", "old", now - 31 * day);
            await Insert("metric_rollups_1m", "old", now - 29 * day);
            await Insert("metric_rollups_1h", "kept", now - 401 * day);
            await Insert("metric_rollups_1h", "kept", now - 399 * day);
            await tx.CommitAsync();
        }
        var job = _host.Services.GetRequiredService<MetricRetentionJob>();
        Assert.Equal(12_000 + 1 + 1 + 1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None)); // idempotent
        Assert.Equal(5 + 2, await _host.ScalarAsync(SampleStore.StoredCountSql));
        Assert.Equal(5 + 1, (await _client.RawAsync($"name=old&from={Uri.EscapeDataString(MetricsTestSupport.Iso(0))}")).Count);
        Assert.Equal(1, await _host.ScalarAsync("SELECT COUNT(*) FROM metric_rollups_1m"));
        Assert.Equal(1, await _host.ScalarAsync("SELECT COUNT(*) FROM metric_rollups_1h"));
        Assert.Equal("new", (await _client.GetFromJsonAsync<JsonElement>("/api/v1/events"))[0].GetProperty("message").GetString());
    }
}
