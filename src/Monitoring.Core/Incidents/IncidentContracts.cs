namespace Monitoring.Core.Incidents;

/// <summary>Body of <c>POST /api/v1/incidents</c>: an incident opened by a person.</summary>
public sealed record IncidentCreateInput(string? Title, string? Description, string? Severity, IReadOnlyList<long>? ServiceIds, string? AssignedTo);

/// <summary>Body of <c>PUT /api/v1/incidents/{id}</c>; omitted fields keep their value. Status investigating | identified | monitoring | resolved.</summary>
public sealed record IncidentUpdateInput(string? Status, string? RootCause, string? Severity, string? AssignedTo, bool? Acknowledge);

/// <summary>Body of <c>POST /api/v1/incidents/{id}/notes</c>.</summary>
public sealed record IncidentNoteInput(string? Text);

/// <summary>
/// One entry of <c>GET /api/v1/incidents/{id}/timeline</c>, ordered oldest first. <c>type</c> is one of
/// check_failed, check_recovered, status_changed, incident_opened, incident_acknowledged, incident_updated, incident_resolved,
/// alert_pending, alert_firing, alert_resolved, alert_acknowledged, notification_sent, notification_failed,
/// note, event.
/// </summary>
public sealed record TimelineEntryDto(DateTimeOffset At, string Type, string Title, string? Detail, string? Actor, long? ServiceId, string? Ref);

public sealed record TimelinePage(long IncidentId, DateTimeOffset From, DateTimeOffset To, int Total, IReadOnlyList<TimelineEntryDto> Entries);
