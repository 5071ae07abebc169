using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Events;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Events;

public sealed record EventResponse(long Id, string EventType, string Source, string Level, string Message,
    IReadOnlyDictionary<string, string> Tags, JsonElement Payload, DateTimeOffset Timestamp);

/// <summary><c>/api/v1/events</c>: push log, metric, trace and alert events (one or an array); query them.</summary>
public static class EventsApi
{
    public const int MaxEventsPerRequest = 1_000;
    private static readonly JsonElement s_emptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        // Authorization per endpoint (group and endpoint policies would combine; ingest keys are not readers).
        var api = app.MapGroup("/api/v1/events").WithTags("Events");
        api.MapPost("/", CreateEvents).WithName("CreateEvents").WithSummary("Push one event or an array (up to 1,000)")
            .Accepts<EventInput>("application/json").RequireAuthorization(Policies.CanIngest);
        api.MapGet("/", ListEvents).WithName("ListEvents").WithSummary("Events, newest first; filters eventType, source, level, from, to").RequireAuthorization(Policies.CanRead);
        api.MapGet("/{id:long}", GetEvent).WithName("GetEvent").WithSummary("One event").RequireAuthorization(Policies.CanRead);
        return app;
    }

    public static async Task<Results<Created<EventResponse>, Created<List<EventResponse>>, ValidationProblem, ProblemHttpResult>> CreateEvents(
        HttpRequest request, IDbContextFactory<MonitoringDbContext> dbFactory, AppMetrics metrics, TimeProvider time, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = ["The body must be JSON (Content-Type: application/json)."] });
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = [$"The body is not valid JSON{(ex.LineNumber is { } l ? $" (line {l + 1})" : "")}."] });
        }
        var single = root.ValueKind == JsonValueKind.Object;
        if (!single && root.ValueKind != JsonValueKind.Array)
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = ["The body must be an event object or an array of events."] });
        if (!single && root.GetArrayLength() > MaxEventsPerRequest)
            return ProblemResults.Status(StatusCodes.Status413PayloadTooLarge, "The request is too large.", $"At most {MaxEventsPerRequest} events per request.");

        var options = request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        List<EventInput?> inputs;
        try
        {
            inputs = single ? [root.Deserialize<EventInput>(options)] : root.Deserialize<List<EventInput?>>(options) ?? [];
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return ProblemResults.Validation(new Dictionary<string, string[]> { [field] = ["The value is not valid JSON of the expected type."] });
        }
        if (inputs.Count == 0) return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = ["At least one event is required."] });
        var errors = new Dictionary<string, string[]>();
        EventValidator.Validate(inputs, single, errors);
        if (errors.Count > 0) return ProblemResults.Validation(errors);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var entities = inputs.Select(e => new EventEntity
        {
            EventType = e!.EventType!,
            Source = e.Source ?? "",
            Level = e.Level ?? "info",
            Message = e.Message ?? "",
            TagsJson = JsonSerializer.Serialize(e.Tags ?? []),
            PayloadJson = e.Payload is { ValueKind: JsonValueKind.Object } p ? p.GetRawText() : "{}",
            TimestampMs = e.Timestamp?.ToUnixTimeMilliseconds() ?? now,
            ReceivedAtMs = now,
        }).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Events.AddRange(entities);
            await db.SaveChangesAsync(ct);
        }
        metrics.EventsIngested(entities.Count);
        if (single) return TypedResults.Created($"/api/v1/events/{entities[0].Id}", ToResponse(entities[0]));
        return TypedResults.Created((string?)null, entities.Select(ToResponse).ToList());
    }

    public static async Task<Results<Ok<List<EventResponse>>, ValidationProblem>> ListEvents(
        string? eventType, string? source, string? level, string? from, string? to, int? limit, int? offset,
        HttpResponse response, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (eventType is not null && !EventValidator.EventTypes.Contains(eventType))
            errors["eventType"] = [$"'{eventType}' is not an event type; allowed: {string.Join(", ", EventValidator.EventTypes)}."];
        if (level is not null && !EventValidator.Levels.Contains(level))
            errors["level"] = [$"'{level}' is not a level; allowed: {string.Join(", ", EventValidator.Levels)}."];
        var fromMs = QueryParsing.ParseTime(from, "from", errors);
        var toMs = QueryParsing.ParseTime(to, "to", errors);
        if (fromMs > toMs) errors["from"] = ["'from' must not be after 'to'."];
        ServicesApi.TryPage(limit, offset, errors, out var take, out var skip);
        if (errors.Count > 0) return ProblemResults.Validation(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Events.AsNoTracking();
        if (eventType is not null) query = query.Where(e => e.EventType == eventType);
        if (source is not null) query = query.Where(e => e.Source == source);
        if (level is not null) query = query.Where(e => e.Level == level);
        if (fromMs is { } f) query = query.Where(e => e.TimestampMs >= f);
        if (toMs is { } t) query = query.Where(e => e.TimestampMs <= t);
        response.Headers["X-Total-Count"] = (await query.CountAsync(ct)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rows = await query.OrderByDescending(e => e.TimestampMs).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToResponse).ToList());
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetEvent(long id, IDbContextFactory<MonitoringDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await db.Events.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return e is null ? ProblemResults.NotFound("Event", id) : TypedResults.Ok(ToResponse(e));
    }

    private static EventResponse ToResponse(EventEntity e) => new(
        e.Id, e.EventType, e.Source, e.Level, e.Message,
        JsonSerializer.Deserialize<Dictionary<string, string>>(e.TagsJson) ?? [],
        e.PayloadJson == "{}" ? s_emptyObject : JsonDocument.Parse(e.PayloadJson).RootElement.Clone(),
        DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs));
}
