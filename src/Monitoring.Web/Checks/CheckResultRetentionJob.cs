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
    public const int BatchSize = BatchedDelete.BatchSize;

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await SqliteSetup.ApplyPragmasAsync(connection, cancellationToken);
        var deleted = await BatchedDelete.OlderThanAsync(connection, "check_results", "StartedAtMs", "Id", now - retention.CheckResultsDays * 86_400_000L, cancellationToken);
        deleted += await BatchedDelete.OlderThanAsync(connection, "uptime_hours", "HourStartMs", "rowid", now - retention.UptimeHoursDays * 86_400_000L, cancellationToken);
        deleted += await BatchedDelete.OlderThanAsync(connection, "stream_events", "AtMs", "Seq", now - options.Value.Stream.RetentionDays * 86_400_000L, cancellationToken);
        if (deleted > 0) logger.LogInformation("Retention removed {Count} old rows", deleted);
        return deleted;
    }
}
