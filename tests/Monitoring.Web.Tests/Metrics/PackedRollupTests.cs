using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Metrics;

/// <summary>Minute rollups packed per (series, hour): partial hours, odd steps, retention to the minute, upgrade.</summary>
public sealed class PackedRollupTests : IAsyncLifetime
{
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;
    private const long DayMs = 86_400_000;
    private readonly TempDirectory _dir = new();
    private MonitoringHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _dir.Dispose();
    }

    // The jobs run only when a test calls them (Hangfire's "never" cron), each with the clock it needs;
    // 24 h of raw samples keeps a first rollup run within one run's bound of 48 chunks.
    private MonitoringHost Host() => _host ??= new MonitoringHost(_dir.Path, new Dictionary<string, string?>
    {
        ["Monitoring:Host:Enabled"] = "false",
        ["Monitoring:Metrics:RollupSchedule"] = "0 0 31 2 *",
        ["Monitoring:Retention:Schedule"] = "0 0 31 2 *",
        ["Monitoring:Retention:RawSamplesHours"] = "24",
    });

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "monitoring.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void AssertWithinSketchError(double expected, double actual, string what)
    {
        var tolerance = Math.Abs(expected) * QuantileSketch.RelativeAccuracy + 1e-9;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected} ± {tolerance}, got {actual}");
    }

    private static byte[] SketchOf(params double[] values)
    {
        var sketch = new QuantileSketch();
        foreach (var v in values) sketch.Add(v);
        return sketch.ToBytes();
    }

    [Fact]
    public void PackedHourRoundTripsAndItsBlockSketchesAreTheMergeOfTheirMinutes()
    {
        var random = new Random(7);
        var packed = new RollupStore.PackedHour();
        var values = new Dictionary<int, double[]>();
        foreach (var slot in Enumerable.Range(0, 60).Where(_ => random.Next(4) != 0))
        {
            values[slot] = Enumerable.Range(0, 1 + random.Next(20)).Select(_ => Math.Round(random.NextDouble() * 1000 - 100, 2)).ToArray();
            var v = values[slot];
            packed.Set(slot, new MinuteRollup(v.Length, v.Sum(), v.Min(), v.Max(), SketchOf(v)));
        }
        var mask = packed.Mask;
        byte[] stats = packed.EncodeStats(), sketches = packed.EncodeSketches();
        var decoded = RollupStore.PackedHour.Decode(mask, stats, sketches);
        Assert.Equal(mask, decoded.Mask);
        foreach (var (slot, v) in values)
        {
            Assert.Equal(v.Length, decoded[slot].Count);
            Assert.Equal(v.Sum(), decoded[slot].Sum);
            Assert.Equal(v.Min(), decoded[slot].Min);
            Assert.Equal(v.Max(), decoded[slot].Max);
            Assert.Equal(SketchOf(v), decoded[slot].Sketch);
        }
        var view = new RollupStore.SketchView(mask, sketches);
        var r = 0;
        for (var k = 0; k < RollupStore.Blocks; k++)
        {
            var block = values.Where(kv => kv.Key / 5 == k).SelectMany(kv => kv.Value).ToArray();
            if (block.Length == 0) continue;
            Assert.Equal(SketchOf(block), view.Block(r++).ToArray());
        }
        Assert.Equal(BitOperations.PopCount((uint)RollupStore.BlockMask(mask)), r);
    }

    [Fact]
    public async Task AnHourPackedInTwoRunsAnswersOddStepsLikeABruteForce()
    {
        var host = Host();
        var client = host.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = now - now % HourMs - 5 * HourMs;
        var random = new Random(11);
        var samples = new List<(long Ts, double Value)>();
        for (var t = start; t < start + 3 * HourMs; t += 2_000 + random.Next(3_000))
            samples.Add((t, Math.Round(Math.Exp(random.NextDouble() * 5) - 20, 3)));
        foreach (var chunk in samples.Chunk(5_000))
            await client.PostSamplesAsync(chunk.Select(s => new { name = "odd_ms", type = "gauge", value = s.Value, timestamp = MetricsTestSupport.Iso(s.Ts) }).ToArray());

        // First run at 25 minutes into the first hour: the hour's row holds minutes 0–24.
        var options = host.Services.GetRequiredService<IOptions<MonitoringOptions>>();
        var catalog = host.Services.GetRequiredService<MetricSeriesCatalog>();
        var early = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(start + 25 * MinuteMs + options.Value.Metrics.RollupDelaySeconds * 1000L));
        var (firstMinutes, _) = await new MetricRollupJob(options, catalog, early, NullLogger<MetricRollupJob>.Instance, host.Services.GetRequiredService<SampleStore>()).RunAsync(CancellationToken.None);
        Assert.Equal(25, firstMinutes);
        Assert.Equal(0x1FFFFFFL, await host.ScalarAsync($"SELECT Mask FROM metric_rollups_1m WHERE Ts = {start}"));

        // The next run fills the rest of that row and the following hours.
        var (minutes, hours) = await host.Services.GetRequiredService<MetricRollupJob>().RunAsync(CancellationToken.None);
        Assert.Equal(180 - 25, minutes);
        Assert.Equal(3, hours);
        Assert.Equal(3, await host.ScalarAsync("SELECT COUNT(*) FROM metric_rollups_1m"));
        Assert.Equal((1L << 60) - 1, await host.ScalarAsync($"SELECT Mask FROM metric_rollups_1m WHERE Ts = {start}"));

        // Steps that do and do not line up with the 5-minute blocks, from a time that is not on the grid.
        var from = start - 77 * MinuteMs - 13_000; // more than 6 h before now: rollups answer
        foreach (var (agg, stepMinutes) in new[] { ("p95", 7), ("p50", 5), ("p99", 4), ("avg", 7), ("min", 13), ("max", 11), ("count", 6), ("sum", 5) })
        {
            var stepMs = stepMinutes * MinuteMs;
            var url = $"/api/v1/metrics/query?name=odd_ms&agg={agg}&step={stepMinutes}m&from={Uri.EscapeDataString(MetricsTestSupport.Iso(from))}&to={Uri.EscapeDataString(MetricsTestSupport.Iso(now))}";
            var body = await client.GetFromJsonAsync<JsonElement>(url);
            Assert.StartsWith("1m", body.GetProperty("source").GetString());
            var points = body.GetProperty("series")[0].GetProperty("points").EnumerateArray().ToList();
            var first = from - from % stepMs;
            var expectedBuckets = samples.Select(s => (s.Ts - first) / stepMs).Distinct().Count();
            Assert.Equal(expectedBuckets, points.Count);
            foreach (var p in points)
            {
                var t = p.GetProperty("timestamp").GetDateTimeOffset().ToUnixTimeMilliseconds();
                var values = samples.Where(s => s.Ts >= t && s.Ts < t + stepMs).Select(s => s.Value).Order().ToList();
                var actual = p.GetProperty("value").GetDouble();
                var what = $"{agg} step {stepMinutes}m at {t}";
                switch (agg)
                {
                    // Minute sums add up in another order than the brute force: equal up to rounding.
                    case "avg": Assert.Equal(values.Average(), actual, 1e-9 * Math.Max(1, Math.Abs(actual))); break;
                    case "sum": Assert.Equal(values.Sum(), actual, 1e-9 * Math.Max(1, Math.Abs(actual))); break;
                    case "min": Assert.Equal(values.Min(), actual); break;
                    case "max": Assert.Equal(values.Max(), actual); break;
                    case "count": Assert.Equal(values.Count, actual); break;
                    default:
                        var q = agg switch { "p50" => 0.5, "p95" => 0.95, _ => 0.99 };
                        AssertWithinSketchError(values[(int)Math.Floor(q * (values.Count - 1))], actual, what);
                        break;
                }
            }
        }
    }

    [Fact]
    public async Task ALateMinuteReplacesItsSlotAndTheBlockSketch()
    {
        Host().CreateClient().Dispose();
        await using var connection = Open();
        var hour = 1_800_000_000_000 - 1_800_000_000_000 % HourMs;
        await using (var tx = connection.BeginTransaction())
        {
            var minutes = Enumerable.Range(0, 60).Select(i => (7L, hour + i * MinuteMs, new MinuteRollup(2, 2 * i, i, i, SketchOf(i, i)))).ToList();
            Assert.Equal(60, await RollupStore.UpsertMinutesAsync(connection, tx, minutes, CancellationToken.None));
            await tx.CommitAsync();
        }
        await using (var tx = connection.BeginTransaction())
        {
            await RollupStore.UpsertMinutesAsync(connection, tx, [(7L, hour + 12 * MinuteMs, new MinuteRollup(3, 3000, 500, 1500, SketchOf(500, 1000, 1500)))], CancellationToken.None);
            await tx.CommitAsync();
        }
        var packed = await RollupStore.ReadHourAsync(connection, null, 7, hour, CancellationToken.None);
        Assert.NotNull(packed);
        Assert.Equal(60, packed.Minutes);
        Assert.Equal(3, packed[12].Count);
        Assert.Equal(1500, packed[12].Max);
        var total = packed.Total();
        Assert.Equal(59 * 2 + 3, total.Count);
        Assert.Equal(1500, total.Max);
        // Block 2 (minutes 10–14) now holds 10, 11, 500, 1000, 1500, 13, 14 (twice each for the old ones).
        var blocks = await new SqliteCommand($"SELECT Sketches FROM metric_rollups_1m WHERE SeriesId = 7 AND Ts = {hour}", connection).ExecuteScalarAsync();
        var view = new RollupStore.SketchView(packed.Mask, (byte[])blocks!);
        Assert.Equal(SketchOf(10, 10, 11, 11, 13, 13, 14, 14, 500, 1000, 1500), view.Block(2).ToArray());
    }

    [Fact]
    public async Task RetentionRemovesExactlyTheMinutesOlderThanTheWindow()
    {
        var host = Host();
        await host.CreateClient().PostSamplesAsync(new[] { new { name = "kept", type = "gauge", value = 1 } });
        var options = host.Services.GetRequiredService<IOptions<MonitoringOptions>>();
        var catalog = host.Services.GetRequiredService<MetricSeriesCatalog>();
        var id = catalog.All.Single(s => s.Name == "kept").Id;
        var real = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var now = real - real % HourMs + 17 * MinuteMs + 30_000; // the cutoff falls 17.5 min into an hour
        var cutoff = now - options.Value.Retention.MinuteRollupsDays * DayMs;
        var minutes = Enumerable.Range(-150, 300).Select(i => cutoff - 30_000 + i * MinuteMs).ToList(); // on the minute grid
        await using (var connection = Open())
        await using (var tx = connection.BeginTransaction())
        {
            await RollupStore.UpsertMinutesAsync(connection, tx, minutes.Select(t => (id, t, new MinuteRollup(1, 1, 1, 1, SketchOf(1)))), CancellationToken.None);
            await tx.CommitAsync();
        }
        var job = new MetricRetentionJob(options, catalog, new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(now)), host.Services.GetRequiredService<SampleStore>(), NullLogger<MetricRetentionJob>.Instance);
        var older = minutes.Count(t => t < cutoff);
        Assert.Equal(older, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        await using (var connection = Open())
        {
            var left = new List<long>();
            await using var cmd = new SqliteCommand("SELECT Ts, Mask FROM metric_rollups_1m ORDER BY Ts", connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var m = (ulong)reader.GetInt64(1); m != 0; m &= m - 1) left.Add(reader.GetInt64(0) + BitOperations.TrailingZeroCount(m) * MinuteMs);
            Assert.Equal(minutes.Where(t => t >= cutoff), left);
        }
    }

    [Fact]
    public async Task AnUpgradePacksTheMinuteRollupsOfTheOldLayout()
    {
        // A store at the migration before the packed layout, with one row per series and minute.
        var hour = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / HourMs * HourMs - 3 * HourMs;
        var random = new Random(3);
        var rows = new List<(long Series, long Ts, double[] Values)>();
        await using (var db = new MonitoringDbContext(new DbContextOptionsBuilder<MonitoringDbContext>().UseSqlite($"Data Source={Path.Combine(_dir.Path, "monitoring.db")};Pooling=False").Options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261124113935_AlertsNotificationsIncidents");
            await using var connection = Open();
            await new SqliteCommand("INSERT INTO metric_series (Id, Name, Service, LabelsJson, Type, CreatedAtMs) VALUES (1, 'old', '', '{\"a\":\"1\"}', 1, 0), (2, 'old', '', '{\"a\":\"2\"}', 1, 0)", connection).ExecuteNonQueryAsync();
            foreach (var series in new[] { 1L, 2L })
                for (var t = hour + 20 * MinuteMs; t < hour + 150 * MinuteMs; t += MinuteMs)
                    if (random.Next(5) != 0) rows.Add((series, t, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Math.Round(random.NextDouble() * 50, 2)).ToArray()));
            foreach (var (series, ts, v) in rows)
            {
                await using var cmd = new SqliteCommand("INSERT INTO metric_rollups_1m (SeriesId, Ts, Count, Sum, Min, Max, Sketch) VALUES ($s, $t, $c, $sum, $min, $max, $sk)", connection);
                cmd.Parameters.AddWithValue("$s", series);
                cmd.Parameters.AddWithValue("$t", ts);
                cmd.Parameters.AddWithValue("$c", v.Length);
                cmd.Parameters.AddWithValue("$sum", v.Sum());
                cmd.Parameters.AddWithValue("$min", v.Min());
                cmd.Parameters.AddWithValue("$max", v.Max());
                cmd.Parameters.AddWithValue("$sk", SketchOf(v));
                await cmd.ExecuteNonQueryAsync();
            }
            await new SqliteCommand($"INSERT INTO metric_rollup_state (Level, DoneUntilMs) VALUES ('1m', {hour + 150 * MinuteMs}), ('1h', {hour})", connection).ExecuteNonQueryAsync();
        }

        // Starting the new version migrates and packs them; nothing is lost.
        var host = Host();
        var client = host.CreateClient();
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'metric_rollups_1m_legacy'"));
        Assert.Equal(2 * 3, await host.ScalarAsync("SELECT COUNT(*) FROM metric_rollups_1m"));
        await using (var connection = Open())
        {
            foreach (var (series, ts, v) in rows)
            {
                var packed = await RollupStore.ReadHourAsync(connection, null, series, RollupStore.HourOf(ts), CancellationToken.None);
                var slot = packed![(int)(ts % HourMs / MinuteMs)];
                Assert.Equal((v.Length, v.Sum(), v.Min(), v.Max()), (slot.Count, slot.Sum, slot.Min, slot.Max));
                Assert.Equal(SketchOf(v), slot.Sketch);
            }
            Assert.Equal(rows.Count, PackedMinutes(connection));
        }
        var url = $"/api/v1/metrics/query?name=old&agg=count&step=1m&from={Uri.EscapeDataString(MetricsTestSupport.Iso(hour - 4 * HourMs))}&to={Uri.EscapeDataString(MetricsTestSupport.Iso(hour + 150 * MinuteMs))}";
        var body = await client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(rows.Sum(r => r.Values.Length), body.GetProperty("series").EnumerateArray().Sum(s => s.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("value").GetDouble())));
    }

    private static int PackedMinutes(SqliteConnection connection)
    {
        using var cmd = new SqliteCommand("SELECT Mask FROM metric_rollups_1m", connection);
        using var reader = cmd.ExecuteReader();
        var n = 0;
        while (reader.Read()) n += BitOperations.PopCount((ulong)reader.GetInt64(0));
        return n;
    }
}
