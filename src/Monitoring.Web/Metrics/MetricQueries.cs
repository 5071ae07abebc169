using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

public sealed record BucketPoint(DateTimeOffset Timestamp, double Value);

public sealed record BucketedSeries(string Service, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<BucketPoint> Points);

/// <summary><c>source</c> says which tables answered, e.g. <c>1h+1m+raw</c>.</summary>
public sealed record BucketedResponse(string Name, string Agg, double StepSeconds, DateTimeOffset From, DateTimeOffset To, string Source, IReadOnlyList<BucketedSeries> Series);

public sealed record MetricStats(string Name, string Type, int Series, long Count, double? Avg, double? Min, double? Max, double? Last, DateTimeOffset? LastTimestamp);

/// <summary>
/// Reads of the sample and rollup tables, always per series through the (series, time) key.
/// Long ranges read hour rollups where they are complete, then minute rollups, then raw samples
/// for the newest part, so a 30-day query touches about 720 rows per series.
/// </summary>
public sealed class MetricQueries(IOptions<MonitoringOptions> options, MetricSeriesCatalog catalog, TimeProvider time, SampleStore store)
{
    public const int MaxPoints = 11_000;
    public const int MaxSeriesPerQuery = 1_000;
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(ct);
        await SqliteSetup.ApplyPragmasAsync(connection, ct);
        return connection;
    }

    public async Task<List<MetricSampleResponse>> RawAsync(string? name, string? service, IReadOnlyList<LabelMatcher> matchers, long fromMs, long toMs, int limit, CancellationToken ct)
    {
        var series = catalog.Find(name, service, matchers);
        var rows = new List<(SeriesInfo Series, long Ts, double Value)>();
        await using var connection = await OpenAsync(ct);
        foreach (var s in series)
        {
            var samples = await store.ReadAsync(connection, s.Id, fromMs, toMs, ct);
            for (var i = Math.Max(0, samples.Count - limit); i < samples.Count; i++) rows.Add((s, samples[i].Ts, samples[i].Value));
        }
        return rows.OrderByDescending(r => r.Ts).ThenBy(r => r.Series.Id).Take(limit).Select(r => r.Series.ToResponse(r.Ts, r.Value)).ToList();
    }

    public async Task<BucketedResponse> BucketedAsync(string name, string? service, IReadOnlyList<LabelMatcher> matchers,
        long fromMs, long toMs, long stepMs, Aggregation agg, CancellationToken ct)
    {
        var retention = options.Value.Retention;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rawOldest = now - retention.RawSamplesHours * HourMs;
        var range = toMs - fromMs;
        await using var connection = await OpenAsync(ct);
        var (minuteDone, hourDone) = await RollupWatermarksAsync(connection, ct);

        // Which level answers: hour rollups for long ranges with hour steps, minute rollups when
        // the range is long or older than raw retention, raw otherwise.
        var level = 0;
        if (stepMs >= HourMs && range > 2 * 86_400_000L) level = 2;
        else if (stepMs >= MinuteMs && (range > 6 * HourMs || fromMs < rawOldest)) level = 1;
        if (level == 2) stepMs = RoundUp(stepMs, HourMs);
        else if (level == 1) stepMs = RoundUp(stepMs, MinuteMs);

        var first = fromMs - Mod(fromMs, stepMs);
        var buckets = (int)((toMs - first + stepMs - 1) / stepMs);
        var segments = new List<(string Table, long Start, long End)>();
        var cursor = first;
        if (level == 2 && hourDone > cursor) { segments.Add(("metric_rollups_1h", cursor, Math.Min(hourDone, toMs))); cursor = Math.Min(hourDone, toMs); }
        if (level >= 1 && minuteDone > cursor) { segments.Add((RollupStore.MinuteTable, cursor, Math.Min(minuteDone, toMs))); cursor = Math.Min(minuteDone, toMs); }
        if (cursor < toMs) segments.Add(("metric_samples", Math.Max(cursor, fromMs), toMs));

        var result = new List<BucketedSeries>();
        var withSketch = agg.IsPercentile();
        var fold = new BucketFold();
        // Packed rows span overflow pages; memory-mapped reads spare a read() call per page.
        await using (var mmap = connection.CreateCommand())
        {
            mmap.CommandText = $"PRAGMA mmap_size = {RollupStore.QueryMmapBytes}";
            await mmap.ExecuteNonQueryAsync(ct);
        }
        // Rollup rows are read through SQLitePCL directly: blobs as spans, no per-row objects.
        using var hourRows = new RollupStore.RawStatement(connection,
            "SELECT Ts, Count, Sum, Min, Max, Sketch FROM metric_rollups_1h WHERE SeriesId = ?1 AND Ts >= ?2 AND Ts < ?3 ORDER BY Ts");
        using var minuteRows = new RollupStore.RawStatement(connection,
            $"SELECT Ts, Mask, Stats{(withSketch ? ", Sketches" : "")} FROM {RollupStore.MinuteTable} WHERE SeriesId = ?1 AND Ts >= ?2 AND Ts < ?3 ORDER BY Ts");
        foreach (var s in catalog.Find(name, service, matchers).Take(MaxSeriesPerQuery))
        {
            fold.Reset(first, stepMs, buckets, agg);
            foreach (var (table, start, end) in segments)
            {
                if (start >= end) continue;
                if (table == "metric_rollups_1h")
                {
                    hourRows.Reset();
                    hourRows.Bind(1, s.Id); hourRows.Bind(2, start); hourRows.Bind(3, end);
                    while (hourRows.Step())
                    {
                        var i = fold.BucketOf(hourRows.Int64(0));
                        fold.AddRollup(i, hourRows.Int64(1), hourRows.Double(2), hourRows.Double(3), hourRows.Double(4));
                        if (withSketch) fold.MergeSketch(i, hourRows.Blob(5));
                    }
                    continue;
                }
                if (table == RollupStore.MinuteTable)
                {
                    // Packed rows hold an hour of minutes each: start at the row of the first minute's hour.
                    minuteRows.Reset();
                    minuteRows.Bind(1, s.Id); minuteRows.Bind(2, RollupStore.HourOf(start)); minuteRows.Bind(3, end);
                    while (minuteRows.Step())
                        fold.AddPackedHour(minuteRows.Int64(0), (ulong)minuteRows.Int64(1), minuteRows.Blob(2), withSketch ? minuteRows.Blob(3) : default, start, end);
                    continue;
                }
                // The raw segment includes 'to' itself; the store returns it sorted by time.
                foreach (var sample in await store.ReadAsync(connection, s.Id, start, end, ct)) fold.Add(sample.Ts, sample.Value);
            }
            result.Add(new BucketedSeries(s.Service, s.LabelsDictionary(), fold.Points(agg)));
        }
        var source = string.Join("+", segments.Where(x => x.Start < x.End).Select(x => x.Table switch { "metric_rollups_1h" => "1h", "metric_rollups_1m" => "1m", _ => "raw" }));
        return new BucketedResponse(name, agg.ToApi(), stepMs / 1000.0, DateTimeOffset.FromUnixTimeMilliseconds(fromMs), DateTimeOffset.FromUnixTimeMilliseconds(toMs),
            source.Length == 0 ? "raw" : source, result);
    }

    public async Task<List<MetricStats>> StatsAsync(long windowMs, string? name, IReadOnlyList<LabelMatcher> matchers, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(ct);
        var byName = new Dictionary<string, (string Type, int Series, long Count, double Sum, double Min, double Max, long LastTs, double Last)>();
        foreach (var s in catalog.Find(name, null, matchers))
        {
            var samples = await store.ReadAsync(connection, s.Id, now - windowMs, now, ct);
            if (samples.Count == 0) continue;
            long count = samples.Count;
            double sum = 0, min = double.MaxValue, max = double.MinValue;
            foreach (var x in samples)
            {
                sum += x.Value;
                min = Math.Min(min, x.Value);
                max = Math.Max(max, x.Value);
            }
            var (lastTs, last) = (samples[^1].Ts, samples[^1].Value);
            if (byName.TryGetValue(s.Name, out var agg))
            {
                byName[s.Name] = (agg.Type, agg.Series + 1, agg.Count + count, agg.Sum + sum, Math.Min(agg.Min, min), Math.Max(agg.Max, max),
                    Math.Max(agg.LastTs, lastTs), lastTs > agg.LastTs ? last : agg.Last);
            }
            else byName[s.Name] = (s.Type.ToApi(), 1, count, sum, min, max, lastTs, last);
        }
        return byName.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new MetricStats(kv.Key, kv.Value.Type, kv.Value.Series, kv.Value.Count, kv.Value.Sum / kv.Value.Count, kv.Value.Min, kv.Value.Max,
                kv.Value.Last, DateTimeOffset.FromUnixTimeMilliseconds(kv.Value.LastTs)))
            .ToList();
    }

    internal static async Task<(long MinuteDone, long HourDone)> RollupWatermarksAsync(SqliteConnection connection, CancellationToken ct)
    {
        long minute = 0, hour = 0;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT Level, DoneUntilMs FROM metric_rollup_state";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetString(0) == MetricRollupJob.MinuteLevel) minute = reader.GetInt64(1);
            else if (reader.GetString(0) == MetricRollupJob.HourLevel) hour = reader.GetInt64(1);
        }
        return (minute, hour);
    }


    private static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;
    private static long Mod(long value, long unit) => ((value % unit) + unit) % unit;
}
