using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Web.Hosting;
using Monitoring.Web.Services;

namespace Monitoring.Web.Incidents;

/// <summary><c>/api/v1/incidents</c>: incidents opened and closed by the checks.</summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents").WithTags("Incidents").RequireAuthorization(Security.Policies.CanRead);
        api.MapGet("/", ListIncidents).WithName("ListIncidents").WithSummary("Incidents, newest first; filters status, serviceId, from, to");
        api.MapGet("/active", ActiveIncidents).WithName("ActiveIncidents").WithSummary("Open incidents of all services");
        api.MapGet("/{id:long}", GetIncident).WithName("GetIncident").WithSummary("One incident");
        return app;
    }

    public static async Task<Results<Ok<List<IncidentResponse>>, ValidationProblem>> ListIncidents(
        string? status, long? serviceId, string? from, string? to, int? limit, int? offset, IncidentQueries incidents, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !IncidentQueries.Statuses.Contains(status) && status != "active")
            errors["status"] = [$"Unknown status '{status}'; one of active, {string.Join(", ", IncidentQueries.Statuses)}."];
        var fromMs = QueryParsing.ParseTime(from, "from", errors);
        var toMs = QueryParsing.ParseTime(to, "to", errors);
        ServicesApi.TryPage(limit, offset, errors, out var take, out var skip);
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        return TypedResults.Ok(await incidents.ListAsync(new IncidentFilter(status, serviceId, fromMs, toMs), take, skip, ct));
    }

    public static async Task<Ok<List<IncidentResponse>>> ActiveIncidents(IncidentQueries incidents, CancellationToken ct) =>
        TypedResults.Ok(await incidents.ListAsync(new IncidentFilter("active", null, null, null), ServicesApi.MaxLimit, 0, ct));

    public static async Task<Results<Ok<IncidentResponse>, ProblemHttpResult>> GetIncident(long id, IncidentQueries incidents, CancellationToken ct) =>
        await incidents.GetAsync(id, ct) is { } incident ? TypedResults.Ok(incident) : ProblemResults.NotFound("Incident", id);
}
