using Microsoft.Data.Sqlite;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// Time-weighted uptime from the store. Whole hours come from <c>uptime_hours</c> (kept by the
/// writer); the partial hours at both ends are computed exactly from raw results, so a 90-day
/// figure reads about 2,000 bucket rows plus two hours of results.
/// </summary>
public static class UptimeQueries
{
    public const long HourMs = 3_600_000;

    /// <summary>The longest a result's status is taken to hold: two intervals plus the timeout.</summary>
    public static long MaxSpanMs(ServiceDefinition service) => 2 * service.IntervalMs + service.TimeoutMs;

    public static async Task<UptimeMath.Span> ComputeAsync(SqliteConnection connection, ServiceDefinition service, long fromMs, long nowMs, CancellationToken ct)
    {
        var maxSpan = MaxSpanMs(service);
        var firstHour = (fromMs + HourMs - 1) / HourMs * HourMs;
        // Buckets for hours near "now" may still miss the span of the newest result: read those raw.
        var lastHour = Math.Max(firstHour, (nowMs - maxSpan) / HourMs * HourMs);

        var total = new UptimeMath.Span(0, 0);
        if (firstHour < lastHour)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COALESCE(SUM(UpMs),0), COALESCE(SUM(ObservedMs),0) FROM uptime_hours WHERE ServiceId = $id AND HourStartMs >= $from AND HourStartMs < $to";
            cmd.Parameters.AddWithValue("$id", service.Id);
            cmd.Parameters.AddWithValue("$from", firstHour);
            cmd.Parameters.AddWithValue("$to", lastHour);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct)) total += new UptimeMath.Span(reader.GetInt64(0), reader.GetInt64(1));
        }

        total += await RawAsync(connection, service.Id, fromMs, Math.Min(firstHour, nowMs), nowMs, maxSpan, ct);
        if (lastHour < nowMs) total += await RawAsync(connection, service.Id, Math.Max(lastHour, fromMs), nowMs, nowMs, maxSpan, ct);
        return total;
    }

    private static async Task<UptimeMath.Span> RawAsync(SqliteConnection connection, long serviceId, long fromMs, long toMs, long nowMs, long maxSpan, CancellationToken ct)
    {
        if (toMs <= fromMs) return default;
        var results = new List<(long AtMs, bool Up)>();
        await using var cmd = connection.CreateCommand();
        // The result just before the range counts too: its status holds into the range.
        cmd.CommandText =
            """
            SELECT StartedAtMs, Status FROM check_results WHERE ServiceId = $id AND StartedAtMs >= $lo AND StartedAtMs < $to
            ORDER BY StartedAtMs
            """;
        cmd.Parameters.AddWithValue("$id", serviceId);
        cmd.Parameters.AddWithValue("$lo", fromMs - maxSpan);
        cmd.Parameters.AddWithValue("$to", toMs + maxSpan);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            results.Add((reader.GetInt64(0), (ServiceStatus)reader.GetInt32(1) is ServiceStatus.Healthy or ServiceStatus.Degraded));
        return UptimeMath.Accumulate(results, fromMs, toMs, nowMs, maxSpan);
    }

    /// <summary>Approximate 24 h uptime of every service from hourly buckets (for lists and the live view).</summary>
    public static async Task<Dictionary<long, double>> AllLast24hAsync(SqliteConnection connection, long nowMs, CancellationToken ct)
    {
        var map = new Dictionary<long, double>();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT ServiceId, SUM(UpMs), SUM(ObservedMs) FROM uptime_hours WHERE HourStartMs >= $from GROUP BY ServiceId";
        cmd.Parameters.AddWithValue("$from", (nowMs - 24 * HourMs) / HourMs * HourMs);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var observed = reader.GetInt64(2);
            if (observed > 0) map[reader.GetInt64(0)] = Math.Round(100.0 * reader.GetInt64(1) / observed, 3);
        }
        return map;
    }
}
