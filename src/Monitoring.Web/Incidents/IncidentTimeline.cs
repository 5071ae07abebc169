using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Incidents;
using Monitoring.Web.Data;

namespace Monitoring.Web.Incidents;

/// <summary>
/// Builds an incident's timeline: asks every registered <see cref="ITimelineSource"/> for the
/// incident's services over [start − 1 h, resolution or now] and merges the answers oldest first.
/// </summary>
public sealed class IncidentTimeline(IEnumerable<ITimelineSource> sources, IDbContextFactory<MonitoringDbContext> dbFactory,
    TimeProvider time, ILogger<IncidentTimeline> logger)
{
    public static readonly TimeSpan LeadTime = TimeSpan.FromHours(1);

    /// <summary>Most entries a timeline holds (sources cap their own share too); the oldest are kept.</summary>
    public const int MaxEntries = 10_000;

    private readonly ITimelineSource[] _sources = [.. sources];

    public async Task<TimelinePage?> ReadAsync(long incidentId, int limit, int offset, CancellationToken ct)
    {
        TimelineQuery query;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, ct);
            if (incident is null) return null;
            var services = await IncidentQueries.ServiceIdsAsync(db, incident, ct);
            query = new TimelineQuery(incident.Id, services, incident.StartedAtMs - (long)LeadTime.TotalMilliseconds,
                incident.ResolvedAtMs ?? time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        var answers = await Task.WhenAll(_sources.Select(s => ReadSourceAsync(s, query, ct)));
        var merged = answers.SelectMany(a => a)
            .OrderBy(e => e.At).ThenBy(e => Rank(e.Type))
            .Take(MaxEntries)
            .ToList();
        return new TimelinePage(incidentId, DateTimeOffset.FromUnixTimeMilliseconds(query.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs),
            merged.Count, merged.Skip(offset).Take(limit).ToList());
    }

    private async Task<IReadOnlyList<TimelineEntryDto>> ReadSourceAsync(ITimelineSource source, TimelineQuery query, CancellationToken ct)
    {
        try
        {
            return await source.ReadAsync(query, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One broken source (another feature's) must not hide the rest of the timeline.
            logger.LogWarning(ex, "Timeline source {Source} failed for incident {IncidentId}", source.GetType().Name, query.IncidentId);
            return [];
        }
    }

    // At the same instant, the cause comes before its effects: check → status → incident → alert → notification → note/event.
    private static int Rank(string type) => type switch
    {
        "check_failed" or "check_recovered" => 0,
        "status_changed" => 1,
        "incident_opened" => 2,
        _ when type.StartsWith("incident_", StringComparison.Ordinal) => 3,
        _ when type.StartsWith("alert_", StringComparison.Ordinal) => 4,
        _ when type.StartsWith("notification_", StringComparison.Ordinal) => 5,
        _ => 6,
    };
}
