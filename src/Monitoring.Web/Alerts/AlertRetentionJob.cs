using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Alerts;

/// <summary>
/// Deletes alerts resolved more than <c>Monitoring:Retention:AlertsDays</c> ago (their history rows
/// go with them by cascade) and expired silences as old, in small batches. Active alerts are never
/// deleted. Idempotent.
/// </summary>
public sealed partial class AlertRetentionJob(IOptions<MonitoringOptions> options, TimeProvider time, ILogger<AlertRetentionJob> logger)
{
    public const string RecurringId = "retention:alerts";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - options.Value.Retention.AlertsDays * 86_400_000L;
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await SqliteSetup.ApplyPragmasAsync(connection, cancellationToken);
        // ResolvedAtMs is NULL for active alerts, and NULL < cutoff is not true: they stay.
        var deleted = await BatchedDelete.OlderThanAsync(connection, "alerts", "ResolvedAtMs", "Id", cutoff, cancellationToken);
        deleted += await BatchedDelete.OlderThanAsync(connection, "silences", "EndsAtMs", "Id", cutoff, cancellationToken);
        if (deleted > 0) LogDeleted(deleted);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert retention removed {Count} old rows")]
    private partial void LogDeleted(long count);
}
