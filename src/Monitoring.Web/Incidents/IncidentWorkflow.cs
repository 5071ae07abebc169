using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Incidents;
using Monitoring.Web.Checks;
using Monitoring.Web.Data;
using Monitoring.Web.Realtime;
using Monitoring.Web.Services;

namespace Monitoring.Web.Incidents;

/// <summary>What a change did, for the API to answer with; <see cref="Errors"/> set when nothing was changed.</summary>
public sealed record WorkflowOutcome<T>(T? Value, Dictionary<string, string[]>? Errors, bool NotFound = false);

/// <summary>
/// The people's side of incidents: open by hand, change status/severity/assignee/root cause,
/// acknowledge, add notes. Each change is one transaction that also records who changed what
/// (<c>incident_updates</c>, the timeline's source) and a <c>stream_events</c> row on the
/// incidents topic, published to SSE clients after commit.
/// </summary>
public sealed class IncidentWorkflow(
    IDbContextFactory<MonitoringDbContext> dbFactory, ServiceRegistry registry, StreamBroadcaster stream,
    CheckResultWriter writer, TimeProvider time)
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 10_000;
    public const int MaxNameLength = 200;
    public const int MaxServices = 100;
    public const string DefaultSeverity = "warning";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<WorkflowOutcome<IncidentResponse>> CreateAsync(IncidentCreateInput input, string actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title)) errors["title"] = ["A title is required."];
        else if (title.Length > MaxTitleLength) errors["title"] = [$"At most {MaxTitleLength} characters."];
        if (input.Description is { Length: > MaxTextLength }) errors["description"] = [$"At most {MaxTextLength} characters."];
        var severity = input.Severity ?? DefaultSeverity;
        if (!IncidentSeverity.All.Contains(severity)) errors["severity"] = [SeverityMessage(severity)];
        var serviceIds = (input.ServiceIds ?? []).Distinct().ToList();
        if (serviceIds.Count > MaxServices) errors["serviceIds"] = [$"At most {MaxServices} services."];
        else if (serviceIds.Where(id => !registry.TryGet(id, out _)).ToList() is { Count: > 0 } unknown)
            errors["serviceIds"] = [$"No service has id {string.Join(", ", unknown)}."];
        var assignee = Blank(input.AssignedTo);
        if (assignee is { Length: > MaxNameLength }) errors["assignedTo"] = [$"At most {MaxNameLength} characters."];
        if (errors.Count > 0) return new(null, errors);

        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var incident = new IncidentEntity
        {
            Title = title!, Description = Blank(input.Description), Severity = severity, Status = "investigating",
            IsAutomatic = false, StartedAtMs = now, AssignedTo = assignee, UpdatedAtMs = now,
        };
        db.Incidents.Add(incident);
        await db.SaveChangesAsync(ct);
        db.IncidentServices.AddRange(serviceIds.Select(id => new IncidentServiceEntity { IncidentId = incident.Id, ServiceId = id }));
        db.IncidentUpdates.Add(Update(incident.Id, now, actor, "opened", null, title));
        if (assignee is not null) db.IncidentUpdates.Add(Update(incident.Id, now, actor, "assignedTo", null, assignee));
        var evt = AddEvent(db, "incident.opened", now, incident, actor, null);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Publish(evt);
        serviceIds.Sort();
        return new(IncidentQueries.ToResponse(incident, now, serviceIds), null);
    }

    public async Task<WorkflowOutcome<IncidentResponse>> UpdateAsync(long id, IncidentUpdateInput input, string actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Status is { } st && !IncidentQueries.Statuses.Contains(st))
            errors["status"] = [$"Unknown status '{st}'; one of {string.Join(", ", IncidentQueries.Statuses)}."];
        if (input.Severity is { } sev && !IncidentSeverity.All.Contains(sev)) errors["severity"] = [SeverityMessage(sev)];
        if (input.RootCause is { Length: > MaxTextLength }) errors["rootCause"] = [$"At most {MaxTextLength} characters."];
        if (input.AssignedTo is { Length: > MaxNameLength }) errors["assignedTo"] = [$"At most {MaxNameLength} characters."];
        if (input.Acknowledge == false) errors["acknowledge"] = ["An acknowledgement cannot be withdrawn; send true or leave it out."];
        if (errors.Count > 0) return new(null, errors);

        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // SQLite's BEGIN IMMEDIATE: read-check-write is serialized with other writers (acknowledge once).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null) return new(null, null, NotFound: true);

        if (input.Status is { } status && status != incident.Status && incident.Status == "resolved" && status != "investigating")
            return new(null, new() { ["status"] = [$"A resolved incident reopens to 'investigating' only, not '{status}'."] });

        var changes = new List<IncidentUpdateEntity>();
        void Change(string field, string? from, string? to)
        {
            if (from != to) changes.Add(Update(id, now, actor, field, from, to));
        }

        var detachFromDetector = false;
        if (input.Status is { } newStatus && newStatus != incident.Status)
        {
            Change("status", incident.Status, newStatus);
            if (newStatus == "resolved")
            {
                incident.ResolvedAtMs = now;
                // An incident resolved by hand ends here for downtime and MTTR; an automatic one
                // whose service still fails is let go by the detector (it opens a new incident
                // after the next recovery and failure streak).
                if (incident.RecoveredAtMs is null)
                {
                    incident.RecoveredAtMs = now;
                    detachFromDetector = incident.IsAutomatic && incident.ServiceId is not null;
                }
            }
            else if (incident.Status == "resolved")
            {
                incident.ResolvedAtMs = null;
                if (!incident.IsAutomatic) incident.RecoveredAtMs = null;
            }
            incident.Status = newStatus;
        }
        if (input.Severity is { } severity)
        {
            Change("severity", incident.Severity, severity);
            incident.Severity = severity;
        }
        if (input.AssignedTo is not null)
        {
            var assignee = Blank(input.AssignedTo);
            Change("assignedTo", incident.AssignedTo, assignee);
            incident.AssignedTo = assignee;
        }
        if (input.RootCause is not null)
        {
            var cause = Blank(input.RootCause);
            Change("rootCause", incident.RootCause, cause);
            incident.RootCause = cause;
        }
        if (input.Acknowledge == true && incident.AcknowledgedAtMs is null)
        {
            incident.AcknowledgedAtMs = now;
            changes.Add(Update(id, now, actor, "acknowledged", null, actor));
        }

        StreamEventEntity? evt = null;
        if (changes.Count > 0)
        {
            incident.UpdatedAtMs = now;
            db.IncidentUpdates.AddRange(changes);
            var type = changes.Any(c => c is { Field: "status", ToValue: "resolved" }) ? "incident.resolved"
                : changes.All(c => c.Field == "acknowledged") ? "incident.acknowledged"
                : "incident.updated";
            evt = AddEvent(db, type, now, incident, actor, changes.Select(c => new { field = c.Field, from = c.FromValue, to = c.ToValue }).ToList());
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (evt is not null) Publish(evt);
        if (detachFromDetector) writer.DetachIncident(incident.ServiceId!.Value, incident.Id);
        return new(IncidentQueries.ToResponse(incident, now, await IncidentQueries.ServiceIdsAsync(db, incident, ct)), null);
    }

    public async Task<WorkflowOutcome<IncidentNoteResponse>> AddNoteAsync(long id, IncidentNoteInput input, string actor, CancellationToken ct)
    {
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) return new(null, new() { ["text"] = ["The note is empty."] });
        if (text.Length > IncidentNoteEntity.MaxTextLength) return new(null, new() { ["text"] = [$"At most {IncidentNoteEntity.MaxTextLength} characters."] });

        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (incident is null) return new(null, null, NotFound: true);
        var note = new IncidentNoteEntity { IncidentId = id, Author = Truncate(actor), Text = text, AtMs = now };
        db.IncidentNotes.Add(note);
        incident.UpdatedAtMs = now;
        await db.SaveChangesAsync(ct);
        var evt = AddEvent(db, "incident.note", now, incident, actor, new { noteId = note.Id, text });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Publish(evt);
        return new(new IncidentNoteResponse(note.Id, id, note.Author, note.Text, DateTimeOffset.FromUnixTimeMilliseconds(now)), null);
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string Truncate(string actor) => actor.Length <= MaxNameLength ? actor : actor[..MaxNameLength];

    private static string SeverityMessage(string severity) => $"Unknown severity '{severity}'; one of {string.Join(", ", IncidentSeverity.All)}.";

    private static IncidentUpdateEntity Update(long id, long now, string actor, string field, string? from, string? to) =>
        new() { IncidentId = id, AtMs = now, Actor = Truncate(actor), Field = field, FromValue = from, ToValue = to };

    private static StreamEventEntity AddEvent(MonitoringDbContext db, string type, long now, IncidentEntity incident, string actor, object? changes)
    {
        var json = JsonSerializer.Serialize(new
        {
            incidentId = incident.Id, serviceId = incident.ServiceId, title = incident.Title, status = incident.Status,
            severity = incident.Severity, at = DateTimeOffset.FromUnixTimeMilliseconds(now), actor, changes,
        }, s_json);
        var evt = new StreamEventEntity { Topic = StreamTopics.Incidents, Type = type, AtMs = now, PayloadJson = json };
        db.StreamEvents.Add(evt);
        return evt;
    }

    private void Publish(StreamEventEntity e) => stream.Publish([new StreamEvent(e.Seq, e.Topic, e.Type, e.AtMs, e.PayloadJson)]);
}

public sealed record IncidentNoteResponse(long Id, long IncidentId, string Author, string Text, DateTimeOffset At);
