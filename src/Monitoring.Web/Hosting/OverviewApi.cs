using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Hosting;

public sealed record HealthStatus(string Status, double UptimeSeconds, DateTimeOffset Timestamp, string Version);

public sealed record ReportService(long Id, string Name, string Status, double? Uptime, DateTimeOffset? LastCheck, double? ResponseMs);

public sealed record Stats(long TotalEvents, long TotalMetrics, int ActiveAlerts, int OpenIncidents, long EventsLastHour, long MetricsLastHour,
    long ChecksTotal, int CheckQueueDepth, int ChecksInFlight, int WriterQueueDepth,
    string? Period = null, double? MttaSeconds = null, double? MttrSeconds = null, IReadOnlyList<Incidents.ServiceResponseTimes>? Services = null);

public sealed record Report(IReadOnlyList<ReportService> Services, IReadOnlyList<object> ActiveAlerts, long MetricsCount, DateTimeOffset Timestamp);

/// <summary><c>/health</c>, <c>/metrics</c> and <c>/api/v1/report</c>.</summary>
public static class OverviewApi
{
    private static readonly string s_version = typeof(OverviewApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app, Security.MetricsAccess metricsAccess)
    {
        var started = TimeProvider.System.GetTimestamp();
        app.MapGet("/health", (TimeProvider time) => TypedResults.Ok(new HealthStatus("ok",
                Math.Round(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 3), time.GetUtcNow(), s_version)))
            .WithName("Health").WithSummary("Liveness of the process").WithTags("Overview").AllowAnonymous();
        if (metricsAccess == Security.MetricsAccess.Off) return app;
        var metrics = app.MapGet("/metrics", (AppMetrics m) => Results.Text(m.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("Metrics").WithSummary("Prometheus text exposition of the app's own figures").WithTags("Overview");
        if (metricsAccess == Security.MetricsAccess.Open) metrics.AllowAnonymous();
        else metrics.RequireAuthorization(p => p.RequireAuthenticatedUser());
        return app;
    }

    public static IEndpointRouteBuilder MapReportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stats", GetStatsAsync).WithName("Stats").WithSummary("Counts from the store and the engine's queues").WithTags("Overview")
            .RequireAuthorization(Security.Policies.CanRead);
        app.MapGet("/api/v1/report", GetReport).WithName("Report").WithSummary("Every service's status and uptime, active alerts").WithTags("Overview")
            .RequireAuthorization(Security.Policies.CanRead);
        return app;
    }

    /// <summary>
    /// Counts come from the store: totals of events and samples are row counts, last-hour samples
    /// come from the minute rollups (which trail by up to a minute), checks ever written is the
    /// highest result id. Active alerts (pending and firing) come from the alert engine.
    /// </summary>
    public static async Task<Results<Ok<Stats>, ValidationProblem>> GetStatsAsync(Microsoft.Extensions.Options.IOptions<MonitoringOptions> options, CheckScheduler scheduler,
        CheckResultWriter writer, Alerts.AlertEngine alerts, Incidents.IncidentQueries incidents, TimeProvider time, string? period, CancellationToken ct)
    {
        // MTTA / MTTR over ?period= (24h|7d|30d|90d, default 30d).
        period ??= "30d";
        if (!Monitoring.Core.Checks.UptimeMath.Periods.Contains(period))
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["period"] = [$"Unknown period '{period}'; one of {string.Join(", ", Monitoring.Core.Checks.UptimeMath.Periods)}."] });
        var times = await incidents.ResponseTimesAsync(period, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        var hourAgo = time.GetUtcNow().ToUnixTimeMilliseconds() - 3_600_000;
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(Data.SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(ct);
        async Task<long> ScalarAsync(string sql)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$since", hourAgo);
            return await cmd.ExecuteScalarAsync(ct) is long v ? v : 0;
        }
        return TypedResults.Ok(new Stats(
            TotalEvents: await ScalarAsync("SELECT COUNT(*) FROM events"),
            TotalMetrics: await ScalarAsync(Metrics.SampleStore.StoredCountSql),
            ActiveAlerts: alerts.ActiveCount,
            OpenIncidents: (int)await ScalarAsync("SELECT COUNT(*) FROM incidents WHERE Status <> 'resolved'"),
            EventsLastHour: await ScalarAsync("SELECT COUNT(*) FROM events WHERE TimestampMs >= $since"),
            MetricsLastHour: await Metrics.RollupStore.SampleCountSinceAsync(connection, hourAgo, ct),
            ChecksTotal: await ScalarAsync("SELECT COALESCE(MAX(Id), 0) FROM check_results"),
            CheckQueueDepth: scheduler.QueueDepth,
            ChecksInFlight: scheduler.InFlight,
            WriterQueueDepth: writer.QueueDepth,
            Period: period, MttaSeconds: times.MttaSeconds, MttrSeconds: times.MttrSeconds, Services: times.Services));
    }

    /// <summary><c>metricsCount</c> is the number of metric series (name + service + labels) stored, from the in-memory catalog.</summary>
    public static Ok<Report> GetReport(ServiceRegistry registry, ServiceStateCache states, MetricSeriesCatalog metricSeries, Alerts.AlertEngine alerts, TimeProvider time)
    {
        var services = registry.All.OrderBy(s => s.Id).Select(s =>
        {
            var state = states.Get(s.Id);
            return new ReportService(s.Id, s.Name, ServiceDtoMapping.StatusOf(s, state), state.Uptime24h, ServiceDtoMapping.Time(state.LastCheckedAtMs), state.LatencyMs);
        }).ToList();
        // Active alerts come from the engine's memory.
        return TypedResults.Ok(new Report(services, [.. alerts.ActiveAlerts()], metricSeries.Count, time.GetUtcNow()));
    }
}
