using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Services;

namespace Monitoring.Web.Metrics;

/// <summary>
/// From the seed design: when a critical alert fires for a service, this job computes the
/// service's average response time over the last 5 minutes of check results and stores it as
/// the series <c>response_time_avg_5m{service_id="…"}</c> (service = the service's name).
/// Enqueued by the alert engine (not built yet) with the service id; idempotent per run time.
/// </summary>
public sealed class ResponseTimeAggregationJob(IOptions<MonitoringOptions> options, ServiceRegistry registry, MetricSampleWriter writer, TimeProvider time)
{
    public const string MetricName = "response_time_avg_5m";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <returns>The average stored, or null when the service had no check results in the window (or is gone).</returns>
    [AutomaticRetry(Attempts = 3)]
    public async Task<double?> RunAsync(long serviceId, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(serviceId, out var service)) return null;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        double? average;
        await using (var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value)))
        {
            await connection.OpenAsync(cancellationToken);
            await SqliteSetup.ApplyPragmasAsync(connection, cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT AVG(LatencyMs) FROM check_results WHERE ServiceId = $id AND StartedAtMs > $from AND StartedAtMs <= $now";
            cmd.Parameters.AddWithValue("$id", serviceId);
            cmd.Parameters.AddWithValue("$from", now - (long)Window.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$now", now);
            average = await cmd.ExecuteScalarAsync(cancellationToken) is double d ? d : null;
        }
        if (average is not { } avg) return null;

        var labels = SeriesKey.SortLabels(new Dictionary<string, string> { ["service_id"] = serviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var sample = new ValidSample(SeriesKey.Build(MetricName, service.Name, labels), MetricName, MetricType.Gauge, service.Name, labels, now, avg);
        // Hangfire retries the job when the writer is behind or the commit failed.
        if (!writer.TryEnqueue([sample], out var durable)) throw new InvalidOperationException("The metric writer is behind; the job will retry.");
        await durable.WaitAsync(cancellationToken);
        return avg;
    }
}
