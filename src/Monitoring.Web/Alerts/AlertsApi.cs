using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Alerts;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Alerts;

/// <summary><c>/api/v1/alerts</c>: alert instances, acknowledge and resolve by hand.</summary>
public static class AlertsApi
{
    public static readonly string[] States = ["pending", "firing", "resolved"];

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization(Policies.CanRead);
        api.MapGet("/", ListAlerts).WithName("ListAlerts").WithSummary("Alerts, newest first; filters activeOnly, severity, serviceId, state");
        api.MapGet("/{id:long}", GetAlert).WithName("GetAlert").WithSummary("One alert");
        api.MapPost("/{id:long}/acknowledge", Acknowledge).WithName("AcknowledgeAlert").WithSummary("Acknowledge (stops repeats); 409 when resolved").RequireAuthorization(Policies.CanOperate);
        api.MapPost("/{id:long}/resolve", Resolve).WithName("ResolveAlert").WithSummary("Resolve by hand").RequireAuthorization(Policies.CanOperate);
        app.MapAlertRulesApi();
        app.MapSilencesApi();
        return app;
    }

    public static async Task<Results<Ok<List<AlertDto>>, ValidationProblem>> ListAlerts(string? activeOnly, string? severity, long? serviceId, string? state,
        int? limit, int? offset, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var active = false;
        if (activeOnly is not null && !bool.TryParse(activeOnly, out active)) errors["activeOnly"] = ["ActiveOnly is true or false."];
        var severityName = severity?.Trim().ToLowerInvariant();
        if (severity is not null && !AlertRuleSpec.TryParseSeverity(severity, out _)) errors["severity"] = [$"Unknown severity '{severity}'; one of info, warning, error, critical."];
        var stateName = state?.Trim().ToLowerInvariant();
        if (state is not null && !States.Contains(stateName)) errors["state"] = [$"Unknown state '{state}'; one of {string.Join(", ", States)}."];
        ServicesApi.TryPage(limit, offset, errors, out var take, out var skip);
        if (errors.Count > 0) return ProblemResults.Validation(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Alerts.AsNoTracking();
        if (active) query = query.Where(a => a.State != "resolved");
        if (severityName is not null) query = query.Where(a => a.Severity == severityName);
        if (serviceId is { } sid) query = query.Where(a => a.ServiceId == sid);
        if (stateName is not null) query = query.Where(a => a.State == stateName);
        var rows = await query.OrderByDescending(a => a.StartedAtMs).ThenByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> GetAlert(long id, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { } alert ? TypedResults.Ok(alert.ToDto()) : ProblemResults.NotFound("Alert", id);
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> Acknowledge(long id, HttpContext http, AlertEngine engine, AuditLog audit, CancellationToken ct)
    {
        var actor = AuditLog.Describe(http.User).Name;
        var (outcome, alert) = await engine.AcknowledgeAsync(id, actor, ct);
        if (outcome == AlertEngine.ActionOutcome.NotFound) return ProblemResults.NotFound("Alert", id);
        if (outcome == AlertEngine.ActionOutcome.AlreadyResolved)
            return ProblemResults.Status(StatusCodes.Status409Conflict, "The alert is resolved.", $"Alert {id} was resolved at {alert!.ResolvedAt:O}; there is nothing to acknowledge.");
        await audit.WriteAsync(http, "alert.acknowledge", $"alert:{id}", new { alert!.RuleName, alert.Fingerprint });
        return TypedResults.Ok(alert);
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> Resolve(long id, HttpContext http, AlertEngine engine, AuditLog audit, CancellationToken ct)
    {
        var actor = AuditLog.Describe(http.User).Name;
        var (outcome, alert) = await engine.ResolveAsync(id, actor, ct);
        if (outcome == AlertEngine.ActionOutcome.NotFound) return ProblemResults.NotFound("Alert", id);
        // Resolving a resolved alert is a no-op that answers with the alert as it is.
        if (outcome == AlertEngine.ActionOutcome.Done) await audit.WriteAsync(http, "alert.resolve", $"alert:{id}", new { alert!.RuleName, alert.Fingerprint });
        return TypedResults.Ok(alert!);
    }
}
