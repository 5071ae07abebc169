using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Hosting;

public sealed record HealthStatus(string Status, double UptimeSeconds, DateTimeOffset Timestamp, string Version);

public sealed record ReportService(long Id, string Name, string Status, double? Uptime, DateTimeOffset? LastCheck, double? ResponseMs);

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
        app.MapGet("/api/v1/report", GetReport).WithName("Report").WithSummary("Every service's status and uptime, active alerts").WithTags("Overview")
            .RequireAuthorization(Security.Policies.CanRead);
        return app;
    }

    public static Ok<Report> GetReport(ServiceRegistry registry, ServiceStateCache states, TimeProvider time)
    {
        var services = registry.All.OrderBy(s => s.Id).Select(s =>
        {
            var state = states.Get(s.Id);
            return new ReportService(s.Id, s.Name, ServiceDtoMapping.StatusOf(s, state), state.Uptime24h, ServiceDtoMapping.Time(state.LastCheckedAtMs), state.LatencyMs);
        }).ToList();
        // Alerts and metrics arrive with their own features; until then the report says none.
        return TypedResults.Ok(new Report(services, [], 0, time.GetUtcNow()));
    }
}
