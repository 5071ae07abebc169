using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Checks;

/// <summary>
/// Deletes check results older than <c>Monitoring:Retention:CheckResultsDays</c> and hourly uptime
/// buckets older than <c>UptimeHoursDays</c>, in small batches so the result writer is never
/// blocked for long. Idempotent: a re-run deletes what is still too old.
/// </summary>
public sealed class CheckResultRetentionJob(IOptions<MonitoringOptions> options, TimeProvider time, ILogger<CheckResultRetentionJob> logger)
{
    public const string RecurringId = "retention:check-results";
    public const int BatchSize = 5_000;
    private const int MaxBatches = 10_000; // bounded: at most 50 M rows per run

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await SqliteSetup.ApplyPragmasAsync(connection, cancellationToken);
        var deleted = await DeleteInBatchesAsync(connection, "check_results", "StartedAtMs", "Id", now - retention.CheckResultsDays * 86_400_000L, cancellationToken);
        deleted += await DeleteInBatchesAsync(connection, "uptime_hours", "HourStartMs", "rowid", now - retention.UptimeHoursDays * 86_400_000L, cancellationToken);
        deleted += await DeleteInBatchesAsync(connection, "stream_events", "AtMs", "Seq", now - options.Value.Stream.RetentionDays * 86_400_000L, cancellationToken);
        if (deleted > 0) logger.LogInformation("Retention removed {Count} old rows", deleted);
        return deleted;
    }

    private static async Task<long> DeleteInBatchesAsync(SqliteConnection connection, string table, string timeColumn, string key, long cutoffMs, CancellationToken ct)
    {
        long total = 0;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {timeColumn} < $cutoff LIMIT {BatchSize})";
        cmd.Parameters.AddWithValue("$cutoff", cutoffMs);
        for (var i = 0; i < MaxBatches; i++)
        {
            var n = await cmd.ExecuteNonQueryAsync(ct);
            total += n;
            if (n < BatchSize) break;
        }
        return total;
    }
}
