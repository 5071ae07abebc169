using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Metrics;
using Monitoring.Web.Metrics;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

public sealed class SampleStoreTests : IAsyncLifetime
{
    private const long HourMs = 3_600_000;
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private MonitoringHost NewHost(string name, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Monitoring:Host:Enabled"] = "false" };
        foreach (var (k, v) in settings) all[k] = v;
        return new MonitoringHost(Path.Combine(_dir.Path, name), all);
    }

    /// <summary>Writes samples through the sample writer (as ingest does, without the API's timestamp window) and waits for their commit.</summary>
    internal static async Task WriteAsync(MonitoringHost host, string name, IEnumerable<(long Ts, double Value)> samples)
    {
        var writer = host.Services.GetRequiredService<MetricSampleWriter>();
        var batch = samples.Select(s => new ValidSample(SeriesKey.Build(name, "", []), name, MetricType.Gauge, "", [], s.Ts, s.Value)).ToArray();
        Assert.True(writer.TryEnqueue(batch, out var durable));
        await durable;
    }

    internal static Task CompactAsync(MonitoringHost host) => host.Services.GetRequiredService<MetricSampleWriter>().CompactAsync();

    private static async Task<List<StoredSample>> ReadAsync(MonitoringHost host, string name, long from = long.MinValue, long to = long.MaxValue)
    {
        var series = host.Services.GetRequiredService<MetricSeriesCatalog>().Find(name, null, []).Single();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "monitoring.db")};Pooling=False");
        await connection.OpenAsync();
        return await host.Services.GetRequiredService<SampleStore>().ReadAsync(connection, series.Id, from, to, CancellationToken.None);
    }

    [Fact]
    public async Task ReadsMergeChunksAndHeadAndTheNewestWriteOfATimestampWins()
    {
        await using var host = NewHost("merge");
        var store = host.Services.GetRequiredService<SampleStore>();
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - HourMs;

        await WriteAsync(host, "m", [(t0, 1), (t0 + 1000, 2), (t0 + 2000, 3), (t0 + 3000, 4)]);
        await CompactAsync(host);
        Assert.Equal(0, store.HeadSamples);
        Assert.Equal(1, store.Compactions);

        // In the head now: a rewrite of t0+1000 (newer than its chunk), a new sample, and one written twice.
        await WriteAsync(host, "m", [(t0 + 1000, 20), (t0 + 4000, 5), (t0 + 2000, 30), (t0 + 2000, 31)]);
        Assert.Equal([new(t0, 1), new(t0 + 1000, 20), new(t0 + 2000, 31), new(t0 + 3000, 4), new(t0 + 4000, 5)], await ReadAsync(host, "m"));
        Assert.Equal([new(t0 + 1000, 20), new(t0 + 2000, 31)], await ReadAsync(host, "m", t0 + 500, t0 + 2000));

        // Once both are chunks, the later chunk still wins over the earlier one.
        await CompactAsync(host);
        Assert.Equal(0, store.HeadSamples);
        Assert.Equal([new(t0, 1), new(t0 + 1000, 20), new(t0 + 2000, 31), new(t0 + 3000, 4), new(t0 + 4000, 5)], await ReadAsync(host, "m"));
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM metric_ingest_log"));

        // The API reads through the store too (newest first).
        var raw = await host.CreateClient().RawAsync("name=m");
        Assert.Equal([5.0, 4.0, 31.0, 20.0, 1.0], raw.Select(r => r.GetProperty("value").GetDouble()));
        Assert.Contains("monitoring_metric_compactions_total 2\n", await host.CreateClient().GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task CompactionThenRestartKeepsEveryAcknowledgedSample()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var expected = new List<StoredSample>();
        await using (var host = NewHost("restart"))
        {
            var client = host.CreateClient();
            for (var round = 0; round < 3; round++)
            {
                var body = Enumerable.Range(0, 1_000).Select(i => new { name = "r", type = "gauge", value = round * 1_000 + i, timestamp = MetricsTestSupport.Iso(now - 600_000 + round * 1_000 + i) }).ToArray();
                Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/metrics", body)).StatusCode);
                expected.AddRange(body.Select(b => new StoredSample(now - 600_000 + b.value, b.value)));
                // The first two rounds end up in chunks, the last one only in the log (and the head).
                if (round < 2) await CompactAsync(host);
            }
            Assert.Equal(1_000, host.Services.GetRequiredService<SampleStore>().HeadSamples);
        }
        await using (var again = NewHost("restart"))
        {
            var store = again.Services.GetRequiredService<SampleStore>();
            Assert.Equal(1_000, store.HeadSamples);   // replayed from the log
            Assert.Equal(expected, await ReadAsync(again, "r"));
            Assert.Equal(3_000, await again.ScalarAsync(SampleStore.StoredCountSql));
            // And after compacting the replayed head and another restart, still all of them.
            await CompactAsync(again);
        }
        await using var third = NewHost("restart");
        Assert.Equal(0, third.Services.GetRequiredService<SampleStore>().HeadSamples);
        Assert.Equal(expected, await ReadAsync(third, "r"));
    }

    [Fact]
    public async Task RetentionDeletesExactlyTheOldPartOfAChunkThatStraddlesTheCutoff()
    {
        await using var host = NewHost("straddle");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var cutoff = now - 48 * HourMs;
        // One sample a second from 20 min before the cutoff to 10 min after it, none within a minute of it
        // (the job's clock runs a little later than this test's).
        var samples = Enumerable.Range(0, 1_800).Select(i => cutoff - 1_200_000 + i * 1_000L).Where(t => Math.Abs(t - cutoff) > 60_000).Select(t => (t, 1.0)).ToList();
        await WriteAsync(host, "edge", samples);
        await CompactAsync(host);
        Assert.True(await host.ScalarAsync($"SELECT COUNT(*) FROM metric_chunks WHERE StartTs < {cutoff} AND EndTs >= {cutoff}") >= 1, "a chunk straddles the cutoff");

        var job = host.Services.GetRequiredService<MetricRetentionJob>();
        var older = samples.Count(s => s.t < cutoff);
        Assert.Equal(older, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        var kept = await ReadAsync(host, "edge");
        Assert.Equal(samples.Where(s => s.t >= cutoff).Select(s => new StoredSample(s.t, 1.0)), kept);
        Assert.Equal(kept.Count, await host.ScalarAsync(SampleStore.StoredCountSql));
    }

    [Fact]
    public async Task AFullHeadIsA429UntilCompactionCatchesUp()
    {
        await using var host = NewHost("full",
            ("Monitoring:Metrics:HeadCapacity", "2000"), ("Monitoring:Metrics:CompactAfterSamples", "1000000"), ("Monitoring:Metrics:CompactAfterSeconds", "86400"));
        var client = host.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        object[] Batch(int first, int n) => Enumerable.Range(first, n).Select(i => (object)new { name = "full", type = "gauge", value = i, timestamp = MetricsTestSupport.Iso(now - 100_000 + i) }).ToArray();

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/metrics", Batch(0, 1_500))).StatusCode);
        var refused = await client.PostAsJsonAsync("/api/v1/metrics", Batch(1_500, 1_000));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal(1_500, host.Services.GetRequiredService<SampleStore>().HeadSamples);

        await CompactAsync(host);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/metrics", Batch(1_500, 1_000))).StatusCode);
        Assert.Equal(2_500, (await ReadAsync(host, "full")).Count);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("monitoring_metric_head_samples 1000\n", metrics);
        Assert.Contains("monitoring_metric_ingest_log_rows 1\n", metrics);
        Assert.Contains("# TYPE monitoring_metric_chunks_written_total counter", metrics);
        Assert.Contains("# TYPE monitoring_metric_compaction_seconds histogram", metrics);
    }

    [Fact]
    public async Task SamplesOfTheOldTableAreMovedIntoChunksAtStart()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var host = NewHost("upgrade"))
        {
            await WriteAsync(host, "legacy", [(now - 1000, 1)]);
        }
        // A file as the previous version left it: the samples table (renamed by the migration) with rows.
        var path = Path.Combine(_dir.Path, "upgrade", "monitoring.db");
        var expected = Enumerable.Range(0, 60_000).Select(i => new StoredSample(now - 2 * HourMs + i * 100L, i % 7)).ToList();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tx = connection.BeginTransaction();
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = """
                    CREATE TABLE metric_samples_legacy (SeriesId INTEGER NOT NULL, Ts INTEGER NOT NULL, Value REAL NOT NULL,
                        CONSTRAINT PK_metric_samples PRIMARY KEY (SeriesId, Ts)) WITHOUT ROWID;
                    """;
                await create.ExecuteNonQueryAsync();
            }
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO metric_samples_legacy (SeriesId, Ts, Value) SELECT Id, $t, $v FROM metric_series WHERE Name = 'legacy'";
            var t = insert.Parameters.AddWithValue("$t", 0L);
            var v = insert.Parameters.AddWithValue("$v", 0.0);
            foreach (var s in expected)
            {
                (t.Value, v.Value) = (s.Ts, s.Value);
                await insert.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        expected.Add(new StoredSample(now - 1000, 1));
        await using var upgraded = NewHost("upgrade");
        Assert.Equal(expected, await ReadAsync(upgraded, "legacy"));
        Assert.Equal(0, await upgraded.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'metric_samples_legacy'"));
    }
}
