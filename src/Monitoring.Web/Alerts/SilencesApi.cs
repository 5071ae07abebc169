using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Alerts;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Alerts;

/// <summary><c>/api/v1/silences</c>: time-bounded label matchers; a maintenance window is a silence with a schedule.</summary>
public static class SilencesApi
{
    public static IEndpointRouteBuilder MapSilencesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/silences").WithTags("Alerts").RequireAuthorization(Policies.CanRead);
        api.MapGet("/", ListSilences).WithName("ListSilences").WithSummary("Silences and maintenance windows, newest first");
        api.MapPost("/", CreateSilence).WithName("CreateSilence").WithSummary("Create a silence or maintenance window").Accepts<SilenceInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapGet("/{id:long}", GetSilence).WithName("GetSilence").WithSummary("One silence");
        api.MapDelete("/{id:long}", DeleteSilence).WithName("DeleteSilence").WithSummary("Delete a silence").RequireAuthorization(Policies.CanOperate);
        return app;
    }

    public static async Task<Results<Ok<List<SilenceDto>>, ValidationProblem>> ListSilences(int? limit, int? offset, IDbContextFactory<MonitoringDbContext> dbFactory,
        TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ServicesApi.TryPage(limit, offset, errors, out var take, out var skip)) return ProblemResults.Validation(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Silences.AsNoTracking().OrderByDescending(s => s.Id).Skip(skip).Take(take).ToListAsync(ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(rows.Select(r => r.ToDto(now, r.ToRule())).ToList());
    }

    public static async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> GetSilence(long id, IDbContextFactory<MonitoringDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Silences.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s
            ? TypedResults.Ok(s.ToDto(time.GetUtcNow(), s.ToRule()))
            : ProblemResults.NotFound("Silence", id);
    }

    public static async Task<Results<Created<SilenceDto>, ValidationProblem>> CreateSilence(HttpRequest request, IDbContextFactory<MonitoringDbContext> dbFactory,
        AlertEngine engine, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<SilenceInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var rule = SilenceRule.Validate(input, now, errors);
        if (rule is null) return ProblemResults.Validation(errors);
        var entity = new SilenceEntity
        {
            Comment = input.Comment,
            MatchersJson = AlertMapping.ToJson(input.Matchers!.Select(m => new SilenceMatcher(m.Name!.Trim(), m.Op ?? "=", m.Value)).ToList()),
            StartsAtMs = rule.StartsAt.ToUnixTimeMilliseconds(),
            EndsAtMs = rule.EndsAt?.ToUnixTimeMilliseconds(),
            ScheduleJson = input.Schedule is null ? null : AlertMapping.ToJson(input.Schedule),
            CreatedBy = AuditLog.Describe(request.HttpContext.User).Name,
            CreatedAtMs = now.ToUnixTimeMilliseconds(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Silences.Add(entity);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(request.HttpContext, "silence.create", $"silence:{entity.Id}", new { entity.Comment, Matchers = input.Matchers, input.EndsAt, input.Schedule });
        await engine.SilencesChangedAsync(ct);
        return TypedResults.Created($"/api/v1/silences/{entity.Id}", entity.ToDto(now, rule));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSilence(long id, HttpContext http, IDbContextFactory<MonitoringDbContext> dbFactory,
        AlertEngine engine, AuditLog audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.Silences.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (entity is null) return ProblemResults.NotFound("Silence", id);
        db.Silences.Remove(entity);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(http, "silence.delete", $"silence:{id}", new { entity.Comment });
        await engine.SilencesChangedAsync(ct);
        return TypedResults.NoContent();
    }
}
