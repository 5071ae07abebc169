using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Alerts;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Alerts;

/// <summary><c>/api/v1/alert-rules</c>: rules, applied to the engine at once (no restart).</summary>
public static class AlertRulesApi
{
    public static IEndpointRouteBuilder MapAlertRulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alert-rules").WithTags("Alerts").RequireAuthorization(Policies.CanRead);
        api.MapGet("/", ListRules).WithName("ListAlertRules").WithSummary("Alert rules by id");
        api.MapPost("/", CreateRule).WithName("CreateAlertRule").WithSummary("Create a rule").Accepts<AlertRuleInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapPost("/preview", PreviewRule).WithName("PreviewAlertRule").WithSummary("The value a rule would see now, per series or service").Accepts<AlertRuleInput>("application/json");
        api.MapGet("/{id:long}", GetRule).WithName("GetAlertRule").WithSummary("One rule");
        api.MapPut("/{id:long}", UpdateRule).WithName("UpdateAlertRule").WithSummary("Replace a rule").Accepts<AlertRuleInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapDelete("/{id:long}", DeleteRule).WithName("DeleteAlertRule").WithSummary("Delete a rule; its active alerts resolve").RequireAuthorization(Policies.CanOperate);
        return app;
    }

    public static async Task<Results<Ok<List<AlertRuleDto>>, ValidationProblem>> ListRules(int? limit, int? offset, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ServicesApi.TryPage(limit, offset, errors, out var take, out var skip)) return ProblemResults.Validation(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AlertRules.AsNoTracking().OrderBy(r => r.Id).Skip(skip).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<Ok<AlertRuleDto>, ProblemHttpResult>> GetRule(long id, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } rule ? TypedResults.Ok(rule.ToDto()) : ProblemResults.NotFound("Alert rule", id);
    }

    public static async Task<Results<Created<AlertRuleDto>, ValidationProblem>> CreateRule(HttpRequest request, IDbContextFactory<MonitoringDbContext> dbFactory,
        ServiceRegistry registry, AlertEngine engine, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var (spec, errors) = await ReadAsync(request, dbFactory, registry, ct);
        if (spec is null) return ProblemResults.Validation(errors!);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = AlertMapping.NewRule(spec, time.GetUtcNow().ToUnixTimeMilliseconds());
        db.AlertRules.Add(entity);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(request.HttpContext, "alert-rule.create", $"alert-rule:{entity.Id}", new { entity.Name, entity.Kind, entity.Query, entity.Severity });
        await engine.RuleChangedAsync(entity.Id, ct);
        return TypedResults.Created($"/api/v1/alert-rules/{entity.Id}", entity.ToDto());
    }

    public static async Task<Results<Ok<AlertRuleDto>, ValidationProblem, ProblemHttpResult>> UpdateRule(long id, HttpRequest request,
        IDbContextFactory<MonitoringDbContext> dbFactory, ServiceRegistry registry, AlertEngine engine, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (entity is null) return ProblemResults.NotFound("Alert rule", id);
        var (spec, errors) = await ReadAsync(request, dbFactory, registry, ct);
        if (spec is null) return ProblemResults.Validation(errors!);
        entity.Apply(spec, time.GetUtcNow().ToUnixTimeMilliseconds());
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(request.HttpContext, "alert-rule.update", $"alert-rule:{id}", new { entity.Name, entity.Kind, entity.Query, entity.Severity, entity.Enabled });
        await engine.RuleChangedAsync(id, ct);
        return TypedResults.Ok(entity.ToDto());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(long id, HttpContext http, IDbContextFactory<MonitoringDbContext> dbFactory,
        AlertEngine engine, AuditLog audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (entity is null) return ProblemResults.NotFound("Alert rule", id);
        db.AlertRules.Remove(entity);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(http, "alert-rule.delete", $"alert-rule:{id}", new { entity.Name });
        await engine.RuleChangedAsync(id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AlertRulePreview>, ValidationProblem>> PreviewRule(HttpRequest request, IDbContextFactory<MonitoringDbContext> dbFactory,
        ServiceRegistry registry, AlertEngine engine, CancellationToken ct)
    {
        var (spec, errors) = await ReadAsync(request, dbFactory, registry, ct);
        if (spec is null) return ProblemResults.Validation(errors!);
        return TypedResults.Ok(await engine.PreviewAsync(spec, ct));
    }

    private static async Task<(AlertRuleSpec?, Dictionary<string, string[]>?)> ReadAsync(HttpRequest request, IDbContextFactory<MonitoringDbContext> dbFactory,
        ServiceRegistry registry, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<AlertRuleInput>(request, ct);
        if (input is null) return (null, bodyErrors);
        var errors = new Dictionary<string, string[]>();
        var spec = AlertRuleSpec.Validate(input, errors);
        var unknownServices = (input.ServiceIds ?? []).Where(s => s > 0 && !registry.TryGet(s, out _)).ToList();
        if (unknownServices.Count > 0 && !errors.ContainsKey("serviceIds")) errors["serviceIds"] = [$"Unknown service ids: {string.Join(", ", unknownServices)}."];
        if (!errors.ContainsKey("channelIds") && input.ChannelIds is { Count: > 0 } channels)
        {
            var unknown = await NotificationChannelIds.UnknownAsync(dbFactory, channels, ct);
            if (unknown.Count > 0) errors["channelIds"] = [$"Unknown notification channel ids: {string.Join(", ", unknown)}."];
        }
        return errors.Count > 0 ? (null, errors) : (spec, null);
    }
}

/// <summary>
/// Checks channel ids against the <c>notification_channels</c> table when it exists and has rows
/// (the notifications feature owns it; without it there is nothing to check against).
/// </summary>
internal static class NotificationChannelIds
{
    public static async Task<List<long>> UnknownAsync(IDbContextFactory<MonitoringDbContext> dbFactory, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'notification_channels'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0) return [];
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT Id FROM notification_channels";
        var known = new HashSet<long>();
        await using (var reader = await read.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) known.Add(reader.GetInt64(0));
        return known.Count == 0 ? [] : ids.Where(i => !known.Contains(i)).Distinct().ToList();
    }
}
