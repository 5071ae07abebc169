using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Monitoring.Web.Metrics;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

public sealed class MetricsIngestTests : HostTests
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" };

    [Fact]
    public async Task OneSampleOrAnArrayIsAcceptedOnceDurableAndReadBackNewestFirst()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var single = await Client.PostAsJsonAsync("/api/v1/metrics", new { name = "queue_depth", type = "gauge", value = 5, labels = new { env = "prod" }, service = "api", timestamp = MetricsTestSupport.Iso(now - 2000) });
        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        Assert.Equal(1, (await single.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        // 202 means durable: the sample is in the file already (its ingest log row), no waiting.
        Assert.Equal(1, await Host.ScalarAsync(SampleStore.StoredCountSql));

        await Client.PostSamplesAsync(new object[]
        {
            new { name = "queue_depth", type = "gauge", value = 7, labels = new { env = "prod" }, service = "api", timestamp = MetricsTestSupport.Iso(now - 1000) },
            new { name = "queue_depth", type = "gauge", value = 9, labels = new { env = "dev" }, service = "api", timestamp = MetricsTestSupport.Iso(now) },
        });
        var raw = await Client.RawAsync("name=queue_depth&service=api");
        Assert.Equal([9.0, 7.0, 5.0], raw.Select(r => r.GetProperty("value").GetDouble()));
        Assert.Equal("dev", raw[0].GetProperty("labels").GetProperty("env").GetString());
        Assert.Equal("gauge", raw[0].GetProperty("type").GetString());
        Assert.Equal(2, await Host.ScalarAsync("SELECT COUNT(*) FROM metric_series"));

        Assert.Equal([7.0, 5.0], (await Client.RawAsync("name=queue_depth&labels=env%3Dprod")).Select(r => r.GetProperty("value").GetDouble()));
        Assert.Single(await Client.RawAsync("name=queue_depth&limit=1"));
        Assert.Empty(await Client.RawAsync("name=queue_depth&service=other"));
    }

    [Theory]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"bad-name","type":"gauge","value":1}]""", "[1].name")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":1,"labels":{"bad-key":"x"}}]""", "[1].labels.bad-key")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"timer","value":1}]""", "[1].type")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":"NaN"}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":"12"}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":1e999}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":NaN}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge"}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":true}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":1,"labels":{"env":3}}]""", "[1].labels.env")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":1,"timestamp":"yesterday"}]""", "[1].timestamp")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"gauge","value":1,"timestamp":"2001-01-01T00:00:00Z"}]""", "[1].timestamp")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},{"name":"ok","type":"counter","value":-1}]""", "[1].value")]
    [InlineData("""[{"name":"ok","type":"gauge","value":1},null]""", "[1]")]
    [InlineData("""{"name":"ok","type":"gauge","value":1""", "value")]
    [InlineData("""42""", "body")]
    [InlineData("""[]""", "body")]
    public async Task ABadSampleIsA400NamingItsIndexAndNothingIsStored(string json, string field)
    {
        var response = await Client.PostRawAsync("/api/v1/metrics", json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {text}");
        Assert.Equal(0, await Host.ScalarAsync(SampleStore.StoredCountSql));
        Assert.Equal(0, await Host.ScalarAsync("SELECT COUNT(*) FROM metric_series"));
        Assert.Contains("monitoring_metric_samples_rejected_total", await Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task MoreThanTenThousandSamplesIsA413()
    {
        var body = Enumerable.Range(0, 10_001).Select(i => new { name = "many", type = "gauge", value = i }).ToArray();
        var response = await Client.PostAsJsonAsync("/api/v1/metrics", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await Host.ScalarAsync(SampleStore.StoredCountSql));
    }

    [Fact]
    public async Task AnIngestKeyPushesButCannotReadAndAnonymousIsRefused()
    {
        var ingest = Host.CreateClientWithKey(await Host.CreateApiKeyAsync("ingest"));
        Assert.Equal(HttpStatusCode.Accepted, (await ingest.PostAsJsonAsync("/api/v1/metrics", new { name = "x", type = "gauge", value = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/api/v1/metrics?name=x")).StatusCode);
        var reader = Host.CreateClientWithKey(await Host.CreateApiKeyAsync("read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/metrics", new { name = "x", type = "gauge", value = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/metrics/stats")).StatusCode);
        var anonymous = Host.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/metrics", new { name = "x", type = "gauge", value = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/metrics/recent")).StatusCode);
    }

    [Fact]
    public async Task WhenTheWriterIsBehindIngestAnswers429WithRetryAfterAndStoresNothingOfIt()
    {
        await using var host = new MonitoringHost(Path.Combine(Dir.Path, "bp"), new Dictionary<string, string?>
        {
            ["Monitoring:Metrics:QueueCapacity"] = "10000",
            ["Monitoring:Host:Enabled"] = "false",
        });
        var client = host.CreateClient();
        await client.PostSamplesAsync(new { name = "warm", type = "gauge", value = 1 });

        // Another connection holds the write lock, so the writer blocks on its next commit.
        await using var blocker = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "monitoring.db")};Pooling=False");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand()) { begin.CommandText = "BEGIN IMMEDIATE"; await begin.ExecuteNonQueryAsync(); }

        var first = client.PostAsJsonAsync("/api/v1/metrics", Enumerable.Range(0, 10_000).Select(i => new { name = "bp", type = "gauge", value = i, labels = new { i = (i % 10).ToString() }, timestamp = MetricsTestSupport.Iso(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000 + i) }).ToArray());
        var metrics = host.Services.GetService(typeof(Monitoring.Web.Metrics.MetricSampleWriter)) as Monitoring.Web.Metrics.MetricSampleWriter;
        await Eventually.WaitAsync(() => Task.FromResult(metrics!.QueuedSamples), q => q >= 10_000, TimeSpan.FromSeconds(10), "the first batch to be queued");

        var second = await client.PostAsJsonAsync("/api/v1/metrics", new[] { new { name = "refused", type = "gauge", value = 1 } });
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("1", second.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);

        await using (var rollback = blocker.CreateCommand()) { rollback.CommandText = "ROLLBACK"; await rollback.ExecuteNonQueryAsync(); }
        Assert.Equal(HttpStatusCode.Accepted, (await first).StatusCode);
        Assert.Equal(10_001, await host.ScalarAsync(SampleStore.StoredCountSql));
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM metric_series WHERE Name = 'refused'"));
        Assert.Contains("monitoring_metric_ingest_throttled_total 1", await client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task ARestartKeepsEveryAcknowledgedSample()
    {
        var dir = Path.Combine(Dir.Path, "restart");
        var acknowledged = 0;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var host = new MonitoringHost(dir, new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" }))
        {
            var client = host.CreateClient();
            var posts = Enumerable.Range(0, 8).Select(async c =>
            {
                var body = Enumerable.Range(0, 500).Select(i => new { name = "restart_total", type = "counter", value = i, labels = new { conn = c.ToString() }, timestamp = MetricsTestSupport.Iso(now - 600_000 + i) }).ToArray();
                var r = await client.PostAsJsonAsync("/api/v1/metrics", body);
                if (r.StatusCode == HttpStatusCode.Accepted) Interlocked.Add(ref acknowledged, body.Length);
            });
            await Task.WhenAll(posts);
        }
        Assert.Equal(4_000, acknowledged);
        await using var again = new MonitoringHost(dir, new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" });
        var c2 = again.CreateClient();
        Assert.Equal(acknowledged, await again.ScalarAsync(SampleStore.StoredCountSql));
        // The series catalog is rebuilt from the store: the same labels map to the same series.
        await c2.PostSamplesAsync(new { name = "restart_total", type = "counter", value = 1, labels = new { conn = "0" } });
        Assert.Equal(8, await again.ScalarAsync("SELECT COUNT(*) FROM metric_series"));
        var stats = await c2.GetFromJsonAsync<JsonElement>("/api/v1/metrics/stats?window=1h&name=restart_total");
        Assert.Equal(4_001, stats[0].GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task StatsAndRecentDescribeTheNewestSamples()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Client.PostSamplesAsync(new object[]
        {
            new { name = "temp", type = "gauge", value = 10, labels = new { room = "a" }, timestamp = MetricsTestSupport.Iso(now - 3000) },
            new { name = "temp", type = "gauge", value = 30, labels = new { room = "b" }, timestamp = MetricsTestSupport.Iso(now - 2000) },
            new { name = "temp", type = "gauge", value = 20, labels = new { room = "a" }, timestamp = MetricsTestSupport.Iso(now - 1000) },
            new { name = "temp", type = "gauge", value = 99, labels = new { room = "a" }, timestamp = MetricsTestSupport.Iso(now - 600_000) },
        });
        var stats = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/metrics/stats?window=60s")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "temp");
        Assert.Equal(3, stats.GetProperty("count").GetInt64());
        Assert.Equal(20, stats.GetProperty("avg").GetDouble());
        Assert.Equal(10, stats.GetProperty("min").GetDouble());
        Assert.Equal(30, stats.GetProperty("max").GetDouble());
        Assert.Equal(20, stats.GetProperty("last").GetDouble());
        Assert.Equal(2, stats.GetProperty("series").GetInt32());

        var onlyB = await Client.GetFromJsonAsync<JsonElement>("/api/v1/metrics/stats?window=60s&labels=room%3Db");
        Assert.Equal(30, onlyB[0].GetProperty("last").GetDouble());

        var recent = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/metrics/recent?count=2")).EnumerateArray().ToList();
        Assert.Equal(2, recent.Count);
        Assert.Equal(99, recent[0].GetProperty("value").GetDouble());

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/v1/metrics/stats?window=soon")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/api/v1/metrics/recent?count=0")).StatusCode);
    }

    [Fact]
    public async Task AppMetricsShowIngestCountersInPrometheusFormat()
    {
        await Client.PostSamplesAsync(Enumerable.Range(0, 5).Select(i => new { name = "p", type = "gauge", value = i }).ToArray());
        var text = await Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE monitoring_metric_samples_ingested_total counter\nmonitoring_metric_samples_ingested_total 5\n", text);
        Assert.Contains("# TYPE monitoring_metric_writer_batch_samples histogram", text);
        Assert.Contains("monitoring_metric_writer_commit_seconds_count", text);
        Assert.Contains("# TYPE monitoring_metric_writer_queued_samples gauge", text);
        Assert.Contains("monitoring_metric_series 1\n", text);
        // Each metric family appears once (promtool rejects duplicates).
        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ")).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(families.Count, families.Distinct().Count());
    }
}
