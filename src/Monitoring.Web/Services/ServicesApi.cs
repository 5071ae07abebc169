using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Incidents;
using Monitoring.Web.Security;

namespace Monitoring.Web.Services;

/// <summary><c>/api/v1/services</c>: the registry, current health, history, uptime and check-now.</summary>
public static class ServicesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapServicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/services").WithTags("Services").RequireAuthorization(Policies.CanRead);
        api.MapPost("/", CreateService).WithName("CreateService").WithSummary("Register a service").Accepts<ServiceInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapGet("/", ListServices).WithName("ListServices").WithSummary("All services with their current status");
        api.MapGet("/{id:long}", GetService).WithName("GetService").WithSummary("One service with its recent health history");
        api.MapPut("/{id:long}", UpdateService).WithName("UpdateService").WithSummary("Update a service (takes effect at its next due time)").Accepts<ServiceInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapDelete("/{id:long}", DeleteService).WithName("DeleteService").WithSummary("Deregister a service").RequireAuthorization(Policies.CanOperate);
        api.MapGet("/{id:long}/health", GetHealth).WithName("GetServiceHealth").WithSummary("Current status");
        api.MapGet("/{id:long}/history", GetHistory).WithName("GetServiceHistory").WithSummary("Check results, newest first");
        api.MapPost("/{id:long}/check", CheckNow).WithName("CheckServiceNow").WithSummary("Run a check now and return its result").RequireAuthorization(Policies.CanOperate);
        api.MapGet("/{id:long}/incidents", GetServiceIncidents).WithName("GetServiceIncidents").WithSummary("Incidents of this service");
        api.MapGet("/{id:long}/uptime", GetUptime).WithName("GetServiceUptime").WithSummary("Time-weighted uptime, incidents, downtime and MTTR over a period");
        return app;
    }

    public static async Task<Results<Created<ServiceResponse>, ValidationProblem, ProblemHttpResult>> CreateService(
        HttpRequest request, ServiceCatalog catalog, ServiceRegistry registry, ServiceStateCache states, AuditLog audit, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<ServiceInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        var (definition, errors) = ServiceValidator.Validate(input);
        CheckDependencies(definition?.DependsOn ?? input.DependsOn ?? [], registry, errors);
        if (definition is null || errors.Count > 0) return ProblemResults.Validation(errors);
        var (created, error) = await catalog.CreateAsync(definition, ct);
        if (created is null) return ProblemResults.Status(StatusCodes.Status409Conflict, "The registry is full.", error);
        await audit.WriteAsync(request.HttpContext, "service.create", $"service:{created.Id}", new { created.Name, Type = created.Type.ToApi(), created.Target });
        return TypedResults.Created($"/api/v1/services/{created.Id}", created.ToResponse(states.Get(created.Id)));
    }

    public static Results<Ok<List<ServiceResponse>>, ValidationProblem> ListServices(
        ServiceRegistry registry, ServiceStateCache states, string? status, string? tag, string? q, int? limit, int? offset, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !EnumNames.TryParseApi<ServiceStatus>(status, out _))
            errors["status"] = [$"Unknown status '{status}'; one of {EnumNames.Allowed<ServiceStatus>()}."];
        if (!TryPage(limit, offset, errors, out var take, out var skip)) return ProblemResults.Validation(errors);
        if (errors.Count > 0) return ProblemResults.Validation(errors);

        var query = registry.All
            .Select(s => s.ToResponse(states.Get(s.Id)))
            .Where(s => status is null || string.Equals(s.Status, status, StringComparison.OrdinalIgnoreCase))
            .Where(s => tag is null || s.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
            .Where(s => string.IsNullOrWhiteSpace(q) || s.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || s.Target.Contains(q, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Id)
            .ToList();
        response.Headers["X-Total-Count"] = query.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(query.Skip(skip).Take(take).ToList());
    }

    public static async Task<Results<Ok<ServiceDetailResponse>, ProblemHttpResult>> GetService(
        long id, ServiceRegistry registry, ServiceStateCache states, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        if (!registry.TryGet(id, out var service)) return ProblemResults.NotFound("Service", id);
        var history = await ReadHistoryAsync(dbFactory, id, null, null, 50, ct);
        return TypedResults.Ok(new ServiceDetailResponse(service.ToResponse(states.Get(id)), history));
    }

    public static async Task<Results<Ok<ServiceResponse>, ValidationProblem, ProblemHttpResult>> UpdateService(
        long id, HttpRequest request, ServiceCatalog catalog, ServiceRegistry registry, ServiceStateCache states, AuditLog audit, CancellationToken ct)
    {
        if (!registry.TryGet(id, out var existing)) return ProblemResults.NotFound("Service", id);
        var (input, bodyErrors) = await JsonBody.ReadAsync<ServiceInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        input.Name ??= existing.Name;
        input.Type ??= existing.Type.ToApi();
        input.Target ??= existing.Target;
        var (definition, errors) = ServiceValidator.Validate(input, existing);
        CheckDependencies(definition?.DependsOn ?? input.DependsOn ?? [], registry, errors);
        if (definition is null || errors.Count > 0) return ProblemResults.Validation(errors);
        var updated = await catalog.UpdateAsync(definition, ct);
        if (updated is null) return ProblemResults.NotFound("Service", id);
        await audit.WriteAsync(request.HttpContext, "service.update", $"service:{id}", new { updated.Name, Type = updated.Type.ToApi(), updated.Target, updated.Enabled });
        return TypedResults.Ok(updated.ToResponse(states.Get(id)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteService(long id, ServiceCatalog catalog, HeartbeatTracker heartbeats, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (!await catalog.DeleteAsync(id, ct)) return ProblemResults.NotFound("Service", id);
        await audit.WriteAsync(http, "service.delete", $"service:{id}");
        heartbeats.Forget(id);
        return TypedResults.NoContent();
    }

    public static Results<Ok<HealthResponse>, ProblemHttpResult> GetHealth(long id, ServiceRegistry registry, ServiceStateCache states)
    {
        if (!registry.TryGet(id, out var service)) return ProblemResults.NotFound("Service", id);
        var state = states.Get(id);
        return TypedResults.Ok(new HealthResponse(id, ServiceDtoMapping.StatusOf(service, state), ServiceDtoMapping.Time(state.LastCheckedAtMs), state.LatencyMs, state.Message));
    }

    public static async Task<Results<Ok<List<CheckResultResponse>>, ValidationProblem, ProblemHttpResult>> GetHistory(
        long id, string? from, string? to, int? limit, ServiceRegistry registry, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        if (!registry.TryGet(id, out _)) return ProblemResults.NotFound("Service", id);
        var errors = new Dictionary<string, string[]>();
        var fromMs = QueryParsing.ParseTime(from, "from", errors);
        var toMs = QueryParsing.ParseTime(to, "to", errors);
        TryPage(limit, 0, errors, out var take, out _);
        if (fromMs is not null && toMs is not null && fromMs > toMs) errors["from"] = ["'from' must not be after 'to'."];
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        return TypedResults.Ok(await ReadHistoryAsync(dbFactory, id, fromMs, toMs, take, ct));
    }

    public static async Task<Results<Ok<CheckResultResponse>, ProblemHttpResult>> CheckNow(
        long id, ServiceRegistry registry, CheckExecutor executor, CheckResultWriter writer, CancellationToken ct)
    {
        if (!registry.TryGet(id, out var service)) return ProblemResults.NotFound("Service", id);
        var result = await executor.RunAsync(service, 0, ct);
        await writer.WriteDurableAsync(result, ct);
        return TypedResults.Ok(result.ToResponse());
    }

    public static async Task<Results<Ok<List<IncidentResponse>>, ValidationProblem, ProblemHttpResult>> GetServiceIncidents(
        long id, int? limit, int? offset, ServiceRegistry registry, IncidentQueries incidents, CancellationToken ct)
    {
        if (!registry.TryGet(id, out _)) return ProblemResults.NotFound("Service", id);
        var errors = new Dictionary<string, string[]>();
        if (!TryPage(limit, offset, errors, out var take, out var skip)) return ProblemResults.Validation(errors);
        return TypedResults.Ok(await incidents.ListAsync(new IncidentFilter(null, id, null, null), take, skip, ct));
    }

    public static async Task<Results<Ok<UptimeResponse>, ValidationProblem, ProblemHttpResult>> GetUptime(
        long id, string? period, ServiceRegistry registry, IncidentQueries incidents, TimeProvider time, CancellationToken ct)
    {
        if (!registry.TryGet(id, out var service)) return ProblemResults.NotFound("Service", id);
        period ??= "24h";
        if (!UptimeMath.Periods.Contains(period))
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["period"] = [$"Unknown period '{period}'; one of {string.Join(", ", UptimeMath.Periods)}."] });
        return TypedResults.Ok(await incidents.UptimeAsync(service, period, time.GetUtcNow().ToUnixTimeMilliseconds(), ct));
    }

    internal static bool TryPage(int? limit, int? offset, Dictionary<string, string[]> errors, out int take, out int skip)
    {
        take = limit ?? DefaultLimit;
        skip = offset ?? 0;
        if (take is < 1 or > MaxLimit) errors["limit"] = [$"Limit must be between 1 and {MaxLimit}."];
        if (skip < 0) errors["offset"] = ["Offset must not be negative."];
        return errors.Count == 0;
    }

    private static void CheckDependencies(IEnumerable<long> dependsOn, ServiceRegistry registry, Dictionary<string, string[]> errors)
    {
        var unknown = dependsOn.Where(d => !registry.TryGet(d, out _)).ToList();
        if (unknown.Count > 0) errors["dependsOn"] = [$"Unknown service ids: {string.Join(", ", unknown)}."];
    }

    private static async Task<List<CheckResultResponse>> ReadHistoryAsync(
        IDbContextFactory<MonitoringDbContext> dbFactory, long id, long? fromMs, long? toMs, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.CheckResults.AsNoTracking().Where(r => r.ServiceId == id);
        if (fromMs is { } f) query = query.Where(r => r.StartedAtMs >= f);
        if (toMs is { } t) query = query.Where(r => r.StartedAtMs <= t);
        var rows = await query.OrderByDescending(r => r.StartedAtMs).ThenByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        return rows.Select(r => new CheckResult(r.ServiceId, r.DueAtMs, r.StartedAtMs, (ServiceStatus)r.Status, r.LatencyMs, r.Message, r.StatusCode, r.Attempts).ToResponse()).ToList();
    }
}
