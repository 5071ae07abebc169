using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// Deletes raw samples (through <see cref="SampleStore"/>) older than <c>Monitoring:Retention:RawSamplesHours</c>, minute and hour
/// rollups older than their windows and events older than <c>EventsDays</c>, in small batches so
/// the sample writer is never blocked for long. Samples and rollups are deleted per series
/// through the (series, time) key: old rows sit at the front of each series' key range, so no
/// time index is needed. Minute rollups are packed per hour: the hour that straddles the cutoff is
/// rewritten without its older minutes, so retention stays exact to the minute (the count returned
/// counts minute rollups). Idempotent.
/// </summary>
public sealed partial class MetricRetentionJob(IOptions<MonitoringOptions> options, MetricSeriesCatalog catalog, TimeProvider time, SampleStore store, ILogger<MetricRetentionJob> logger)
{
    public const string RecurringId = "retention:metrics-events";
    public const int BatchSize = BatchedDelete.BatchSize;

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var r = options.Value.Retention;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await SqliteSetup.ApplyPragmasAsync(connection, cancellationToken);
        var ids = catalog.All.Select(s => s.Id).Order().ToList();
        long deleted = 0;
        // Raw samples: whole chunks older than the cutoff, then the old part of chunks that straddle it.
        deleted += await store.DeleteOlderThanAsync(connection, ids, now - r.RawSamplesHours * 3_600_000L, cancellationToken);
        deleted += await RollupStore.DeleteMinutesOlderThanAsync(connection, ids, now - r.MinuteRollupsDays * 86_400_000L, BatchSize, cancellationToken);
        deleted += await DeletePerSeriesAsync(connection, "metric_rollups_1h", ids, now - r.HourRollupsDays * 86_400_000L, cancellationToken);
        deleted += await BatchedDelete.OlderThanAsync(connection, "events", "TimestampMs", "Id", now - r.EventsDays * 86_400_000L, cancellationToken);
        if (deleted > 0) LogDeleted(deleted);
        return deleted;
    }

    private static async Task<long> DeletePerSeriesAsync(SqliteConnection connection, string table, List<long> ids, long cutoffMs, CancellationToken ct)
    {
        long total = 0;
        await using var cmd = connection.CreateCommand();
        // Deletes the oldest BatchSize rows below the cutoff (or all of them when fewer remain).
        cmd.CommandText =
            $"""
            DELETE FROM {table} WHERE SeriesId = $s AND Ts < $cutoff AND Ts < COALESCE(
                (SELECT Ts FROM {table} WHERE SeriesId = $s AND Ts < $cutoff ORDER BY Ts LIMIT 1 OFFSET {BatchSize}), $cutoff)
            """;
        var sid = cmd.Parameters.Add("$s", SqliteType.Integer);
        cmd.Parameters.AddWithValue("$cutoff", cutoffMs);
        foreach (var id in ids)
        {
            sid.Value = id;
            total += await BatchedDelete.RepeatAsync(cmd, ct);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metric and event retention removed {Count} old rows")]
    private partial void LogDeleted(long count);
}
