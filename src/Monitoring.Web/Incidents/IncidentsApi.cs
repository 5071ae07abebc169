using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Core.Incidents;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Incidents;

/// <summary>
/// <c>/api/v1/incidents</c>: incidents opened and closed by the checks or by people; their
/// workflow (status, severity, assignee, root cause, acknowledge, notes) and timeline.
/// </summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents").WithTags("Incidents").RequireAuthorization(Policies.CanRead);
        api.MapGet("/", ListIncidents).WithName("ListIncidents").WithSummary("Incidents, newest first; filters status, serviceId, from, to");
        api.MapGet("/active", ActiveIncidents).WithName("ActiveIncidents").WithSummary("Open incidents of all services");
        api.MapGet("/{id:long}", GetIncident).WithName("GetIncident").WithSummary("One incident");
        api.MapPost("/", CreateIncident).WithName("CreateIncident").WithSummary("Open an incident by hand")
            .Accepts<IncidentCreateInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapPut("/{id:long}", UpdateIncident).WithName("UpdateIncident").WithSummary("Change status, severity, assignee, root cause; acknowledge")
            .Accepts<IncidentUpdateInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapPost("/{id:long}/acknowledge", AcknowledgeIncident).WithName("AcknowledgeIncident").WithSummary("Acknowledge (sets acknowledgedAt once)")
            .RequireAuthorization(Policies.CanOperate);
        api.MapPost("/{id:long}/notes", AddNote).WithName("AddIncidentNote").WithSummary("Add a note to the timeline")
            .Accepts<IncidentNoteInput>("application/json").RequireAuthorization(Policies.CanOperate);
        api.MapGet("/{id:long}/timeline", GetTimeline).WithName("GetIncidentTimeline")
            .WithSummary("Everything that happened from one hour before the start to resolution, oldest first");
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

    public static async Task<Results<Created<IncidentResponse>, ValidationProblem>> CreateIncident(
        HttpRequest request, IncidentWorkflow workflow, AuditLog audit, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<IncidentCreateInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        var outcome = await workflow.CreateAsync(input, Actor(request.HttpContext), ct);
        if (outcome.Value is not { } created) return ProblemResults.Validation(outcome.Errors!);
        await audit.WriteAsync(request.HttpContext, "incident.create", $"incident:{created.Id}", new { created.Title, created.Severity, created.ServiceIds, created.AssignedTo });
        return TypedResults.Created($"/api/v1/incidents/{created.Id}", created);
    }

    public static async Task<Results<Ok<IncidentResponse>, ValidationProblem, ProblemHttpResult>> UpdateIncident(
        long id, HttpRequest request, IncidentWorkflow workflow, AuditLog audit, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<IncidentUpdateInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        return await ApplyAsync(id, input, "incident.update", request.HttpContext, workflow, audit, ct);
    }

    public static Task<Results<Ok<IncidentResponse>, ValidationProblem, ProblemHttpResult>> AcknowledgeIncident(
        long id, HttpContext http, IncidentWorkflow workflow, AuditLog audit, CancellationToken ct) =>
        ApplyAsync(id, new IncidentUpdateInput(null, null, null, null, true), "incident.acknowledge", http, workflow, audit, ct);

    private static async Task<Results<Ok<IncidentResponse>, ValidationProblem, ProblemHttpResult>> ApplyAsync(
        long id, IncidentUpdateInput input, string action, HttpContext http, IncidentWorkflow workflow, AuditLog audit, CancellationToken ct)
    {
        var outcome = await workflow.UpdateAsync(id, input, Actor(http), ct);
        if (outcome.NotFound) return ProblemResults.NotFound("Incident", id);
        if (outcome.Value is not { } updated) return ProblemResults.Validation(outcome.Errors!);
        await audit.WriteAsync(http, action, $"incident:{id}", new { input.Status, input.Severity, input.AssignedTo, RootCause = input.RootCause is null ? null : "(changed)", input.Acknowledge });
        return TypedResults.Ok(updated);
    }

    public static async Task<Results<Created<IncidentNoteResponse>, ValidationProblem, ProblemHttpResult>> AddNote(
        long id, HttpRequest request, IncidentWorkflow workflow, AuditLog audit, CancellationToken ct)
    {
        var (input, bodyErrors) = await JsonBody.ReadAsync<IncidentNoteInput>(request, ct);
        if (input is null) return ProblemResults.Validation(bodyErrors!);
        var outcome = await workflow.AddNoteAsync(id, input, Actor(request.HttpContext), ct);
        if (outcome.NotFound) return ProblemResults.NotFound("Incident", id);
        if (outcome.Value is not { } note) return ProblemResults.Validation(outcome.Errors!);
        await audit.WriteAsync(request.HttpContext, "incident.note", $"incident:{id}", new { noteId = note.Id, length = note.Text.Length });
        return TypedResults.Created($"/api/v1/incidents/{id}/timeline", note);
    }

    public static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> GetTimeline(
        long id, int? limit, int? offset, IncidentTimeline timeline, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ServicesApi.TryPage(limit, offset, errors, out var take, out var skip)) return ProblemResults.Validation(errors);
        return await timeline.ReadAsync(id, take, skip, ct) is { } page ? TypedResults.Ok(page) : ProblemResults.NotFound("Incident", id);
    }

    /// <summary>Who is acting: the user's name, or <c>key:name</c> for an API key.</summary>
    private static string Actor(HttpContext http) => AuditLog.Describe(http.User).Name;
}
