using System.Globalization;
using Monitoring.Client.Api;
using Monitoring.Client.Shared;

namespace Monitoring.Client.Incidents;

public enum TimelineEntryKind
{
    /// <summary>One or more consecutive checks that passed (healthy, or paused/unknown).</summary>
    ChecksPassed,
    /// <summary>The first passing check after failures.</summary>
    CheckRecovered,
    /// <summary>Consecutive degraded checks with the same message.</summary>
    ChecksDegraded,
    /// <summary>Consecutive failed checks with the same message.</summary>
    ChecksFailed,
    IncidentStarted,
    Acknowledged,
    Recovered,
    Resolved,
}

/// <summary>One line of an incident timeline; <see cref="Until"/> is set when it stands for a run of checks.</summary>
public sealed record TimelineEntry(TimelineEntryKind Kind, DateTimeOffset At, DateTimeOffset? Until, int Count, string Title, string? Detail)
{
    public bool IsCheck => Kind is TimelineEntryKind.ChecksPassed or TimelineEntryKind.CheckRecovered or TimelineEntryKind.ChecksDegraded or TimelineEntryKind.ChecksFailed;
}

/// <summary>
/// Reconstructs an incident's timeline in the browser from what the API has today: the incident's
/// own times and the service's check results around it. Runs of alike checks fold into one entry,
/// so an hour of passing checks before the start reads as one line, not 3,600.
/// </summary>
public static class IncidentTimeline
{
    /// <summary>How far before the start the timeline looks (ARCHITECTURE.md: one hour).</summary>
    public static readonly TimeSpan LeadTime = TimeSpan.FromHours(1);

    /// <summary>The time range whose checks belong to the timeline; an open incident runs until <paramref name="now"/>.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(IncidentInfo incident, DateTimeOffset now) =>
        (incident.StartedAt - LeadTime, incident.ResolvedAt ?? incident.RecoveredAt ?? now);

    /// <summary>Entries oldest first (newest last). <paramref name="checks"/> may come in any order.</summary>
    public static IReadOnlyList<TimelineEntry> Build(IncidentInfo incident, IEnumerable<CheckResultInfo> checks)
    {
        // Checks sort before incident events at the same instant: the check is what caused the event.
        var entries = new List<(TimelineEntry Entry, int Order)>();
        foreach (var entry in FoldChecks(checks.OrderBy(c => c.CheckedAt))) entries.Add((entry, 0));
        entries.Add((new TimelineEntry(TimelineEntryKind.IncidentStarted, incident.StartedAt, null, 0,
            incident.Automatic ? "Incident opened automatically" : "Incident opened", incident.Title), 1));
        if (incident.AcknowledgedAt is { } ack)
            entries.Add((new TimelineEntry(TimelineEntryKind.Acknowledged, ack, null, 0, "Acknowledged", incident.AssignedTo is { } who ? $"Assigned to {who}" : null), 1));
        if (incident.RecoveredAt is { } recovered)
            entries.Add((new TimelineEntry(TimelineEntryKind.Recovered, recovered, null, 0, "Service recovered",
                $"After {DisplayFormat.Duration((recovered - incident.StartedAt).TotalSeconds)}, {incident.ChecksFailedCount} failed {(incident.ChecksFailedCount == 1 ? "check" : "checks")}"), 1));
        if (incident.ResolvedAt is { } resolved)
            entries.Add((new TimelineEntry(TimelineEntryKind.Resolved, resolved, null, 0, "Incident resolved", incident.RootCause is { } cause ? $"Root cause: {cause}" : null), 1));
        return entries.OrderBy(e => e.Entry.At).ThenBy(e => e.Order).Select(e => e.Entry).ToList();
    }

    private static IEnumerable<TimelineEntry> FoldChecks(IEnumerable<CheckResultInfo> ordered)
    {
        var run = new List<CheckResultInfo>();
        var runKind = TimelineEntryKind.ChecksPassed;
        var previousFailed = false;
        foreach (var check in ordered)
        {
            var kind = KindOf(check);
            var passing = kind == TimelineEntryKind.ChecksPassed;
            var sameRun = run.Count > 0 && kind == runKind && (passing || run[0].Message == check.Message);
            if (!sameRun && run.Count > 0)
            {
                yield return Fold(run, runKind, previousFailed);
                previousFailed = runKind != TimelineEntryKind.ChecksPassed;
                run.Clear();
            }
            runKind = kind;
            run.Add(check);
        }
        if (run.Count > 0) yield return Fold(run, runKind, previousFailed);
    }

    private static TimelineEntryKind KindOf(CheckResultInfo check) => StatusAppearance.For(check.Status).Status switch
    {
        "unhealthy" => TimelineEntryKind.ChecksFailed,
        "degraded" => TimelineEntryKind.ChecksDegraded,
        _ => TimelineEntryKind.ChecksPassed,
    };

    private static TimelineEntry Fold(List<CheckResultInfo> run, TimelineEntryKind kind, bool afterFailure)
    {
        var first = run[0];
        var last = run[^1];
        var count = run.Count;
        var latency = DisplayFormat.Latency(run.Average(r => r.ResponseTimeMs));
        var many = count > 1;
        var title = kind switch
        {
            TimelineEntryKind.ChecksFailed => many ? $"{count} checks failed" : "Check failed",
            TimelineEntryKind.ChecksDegraded => many ? $"{count} checks degraded" : "Check degraded",
            _ when afterFailure => many ? $"Checks passing again ({count})" : "Check passed again",
            _ => many ? $"{count} checks passed" : "Check passed",
        };
        var detail = many ? $"Average latency {latency}" : $"Latency {latency}";
        var showMessage = kind != TimelineEntryKind.ChecksPassed && !string.IsNullOrEmpty(first.Message);
        // Failure messages of HTTP checks already start with the code.
        if (first.StatusCode is { } code && !(showMessage && first.Message!.StartsWith("HTTP ", StringComparison.Ordinal)))
            detail += " · HTTP " + code.ToString(CultureInfo.InvariantCulture);
        if (showMessage) detail += " · " + first.Message;
        var shownKind = kind == TimelineEntryKind.ChecksPassed && afterFailure ? TimelineEntryKind.CheckRecovered : kind;
        return new TimelineEntry(shownKind, first.CheckedAt, many ? last.CheckedAt : null, count, title, detail);
    }
}
