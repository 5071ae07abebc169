using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Incidents;
using Monitoring.Web.Data;
using Monitoring.Web.Incidents;

namespace Monitoring.Web.Alerts;

/// <summary>
/// Alert entries of an incident's timeline: pending, firing, resolved and acknowledged moments (with
/// who did it) of alerts linked to the incident or raised on its services inside the window.
/// </summary>
public sealed class AlertTimelineSource(IDbContextFactory<MonitoringDbContext> dbFactory) : ITimelineSource
{
    public const int MaxEntries = 2_000;
    private static readonly string[] s_types = ["pending", "firing", "resolved", "acknowledged"];

    public async Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var serviceIds = query.ServiceIds.ToList();
        var rows = await (
            from e in db.AlertEvents.AsNoTracking()
            join a in db.Alerts.AsNoTracking() on e.AlertId equals a.Id
            where e.AtMs >= query.FromMs && e.AtMs <= query.ToMs && s_types.Contains(e.Type)
                  && (a.IncidentId == query.IncidentId || (a.ServiceId != null && serviceIds.Contains(a.ServiceId.Value)))
            orderby e.AtMs, e.Id
            select new { e.AtMs, e.Type, e.Actor, e.Detail, a.Id, a.RuleName, a.Severity, a.Message, a.ServiceId })
            .Take(MaxEntries).ToListAsync(cancellationToken);
        return rows.Select(r => new TimelineEntryDto(
            AlertMapping.Time(r.AtMs),
            $"alert_{r.Type}",
            $"Alert {r.Type}: {r.RuleName} ({r.Severity})",
            r.Detail is null ? r.Message : $"{r.Message} ({r.Detail})",
            r.Actor,
            r.ServiceId,
            $"alert:{r.Id}")).ToList();
    }
}
