using Monitoring.Core.Incidents;

namespace Monitoring.Web.Incidents;

/// <summary>What an incident's timeline covers: its services, from one hour before its start to its resolution (or now).</summary>
public sealed record TimelineQuery(long IncidentId, IReadOnlyList<long> ServiceIds, long FromMs, long ToMs);

/// <summary>
/// A feature that contributes entries to incident timelines (checks, alerts, notifications, notes,
/// events). Register each with <c>services.AddSingleton&lt;ITimelineSource, …&gt;()</c>; the timeline
/// endpoint merges them by time.
/// </summary>
public interface ITimelineSource
{
    Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken);
}
