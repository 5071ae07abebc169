using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Incidents;
using Monitoring.Core.Services;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Realtime;
using Monitoring.Web.Services;

namespace Monitoring.Web.Incidents;

/// <summary>Shared bits of the store-backed timeline sources.</summary>
internal static class TimelineSql
{
    /// <summary>Most entries one source contributes to one timeline.</summary>
    public const int MaxEntriesPerSource = 2_000;

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Adds <c>$p0, $p1, …</c> for <paramref name="values"/> and returns the SQL list.</summary>
    public static string InList<T>(SqliteCommand cmd, string prefix, IEnumerable<T> values)
    {
        var names = new StringBuilder();
        var i = 0;
        foreach (var v in values)
        {
            var name = $"${prefix}{i++}";
            cmd.Parameters.AddWithValue(name, v!);
            names.Append(names.Length > 0 ? ", " : "").Append(name);
        }
        return i == 0 ? "NULL" : names.ToString();
    }

    public static string Name(ServiceRegistry registry, long id) =>
        registry.TryGet(id, out var s) ? s.Name : $"Service {id}";
}

/// <summary>
/// Check failures and recoveries of the incident's services. A run of consecutive failures with the
/// same message is one entry with its count, so an hour of 10-second checks stays readable.
/// </summary>
public sealed class CheckTimelineSource(IOptions<MonitoringOptions> options, ServiceRegistry registry) : ITimelineSource
{
    // Results read per timeline at most (a day of 1-second checks of a few services).
    private const int MaxRows = 200_000;

    public async Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        if (query.ServiceIds.Count == 0) return [];
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText =
            $"""
            SELECT ServiceId, StartedAtMs, Status, Message FROM check_results
            WHERE ServiceId IN ({TimelineSql.InList(cmd, "s", query.ServiceIds)}) AND StartedAtMs BETWEEN $from AND $to
            ORDER BY ServiceId, StartedAtMs, Id LIMIT {MaxRows}
            """;
        cmd.Parameters.AddWithValue("$from", query.FromMs);
        cmd.Parameters.AddWithValue("$to", query.ToMs);
        var entries = new List<TimelineEntryDto>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        Run? run = null;
        long? service = null;
        var wasFailing = false;
        while (await reader.ReadAsync(cancellationToken) && entries.Count < TimelineSql.MaxEntriesPerSource)
        {
            var sid = reader.GetInt64(0);
            var at = reader.GetInt64(1);
            var status = (ServiceStatus)reader.GetInt32(2);
            var message = reader.IsDBNull(3) ? null : reader.GetString(3);
            if (sid != service)
            {
                Flush(entries, ref run);
                service = sid;
                wasFailing = false;
            }
            if (status is ServiceStatus.Healthy or ServiceStatus.Degraded)
            {
                Flush(entries, ref run);
                if (wasFailing)
                    entries.Add(new TimelineEntryDto(TimelineSql.At(at), "check_recovered", $"{TimelineSql.Name(registry, sid)}: check passed again",
                        status == ServiceStatus.Degraded ? $"degraded{(message is null ? "" : ": " + message)}" : null, null, sid, $"service:{sid}"));
                wasFailing = false;
                continue;
            }
            wasFailing = true;
            if (run is { } r && r.Message == message && r.Status == status)
            {
                run = r with { Count = r.Count + 1, LastMs = at };
                continue;
            }
            Flush(entries, ref run);
            run = new Run(sid, status, message, at, at, 1);
        }
        Flush(entries, ref run);
        return entries;
    }

    private sealed record Run(long ServiceId, ServiceStatus Status, string? Message, long FirstMs, long LastMs, int Count);

    private void Flush(List<TimelineEntryDto> entries, ref Run? run)
    {
        if (run is not { } r) return;
        run = null;
        var name = TimelineSql.Name(registry, r.ServiceId);
        var title = r.Count == 1 ? $"{name}: check failed" : $"{name}: {r.Count} checks failed";
        var detail = new StringBuilder(r.Status.ToApi());
        if (r.Message is not null) detail.Append(": ").Append(r.Message);
        if (r.Count > 1) detail.Append(CultureInfo.InvariantCulture, $" (until {TimelineSql.At(r.LastMs):u})");
        entries.Add(new TimelineEntryDto(TimelineSql.At(r.FirstMs), "check_failed", title, detail.ToString(), null, r.ServiceId, $"service:{r.ServiceId}"));
    }
}

/// <summary>Status changes of the incident's services, from the live stream's <c>status</c> topic (kept as long as stream events are).</summary>
public sealed class StatusTimelineSource(IOptions<MonitoringOptions> options) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        if (query.ServiceIds.Count == 0) return [];
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText =
            $"""
            SELECT AtMs, PayloadJson FROM stream_events
            WHERE Topic = $topic AND AtMs BETWEEN $from AND $to AND json_extract(PayloadJson, '$.serviceId') IN ({TimelineSql.InList(cmd, "s", query.ServiceIds)})
            ORDER BY Seq LIMIT {TimelineSql.MaxEntriesPerSource}
            """;
        cmd.Parameters.AddWithValue("$topic", StreamTopics.Status);
        cmd.Parameters.AddWithValue("$from", query.FromMs);
        cmd.Parameters.AddWithValue("$to", query.ToMs);
        var entries = new List<TimelineEntryDto>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var doc = JsonDocument.Parse(reader.GetString(1));
            var p = doc.RootElement;
            var sid = p.GetProperty("serviceId").GetInt64();
            var name = p.TryGetProperty("name", out var n) ? n.GetString() : $"Service {sid}";
            var from = p.TryGetProperty("previousStatus", out var ps) ? ps.GetString() : null;
            var to = p.TryGetProperty("status", out var s) ? s.GetString() : null;
            var message = p.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            entries.Add(new TimelineEntryDto(TimelineSql.At(reader.GetInt64(0)), "status_changed", $"{name}: {from} → {to}", message, null, sid, $"service:{sid}"));
        }
        return entries;
    }
}

/// <summary>
/// The incident's own history: opened, acknowledged, status/severity/assignee/root-cause changes,
/// resolved, and its notes. These belong to the incident, so they are shown even when written after
/// the window closed (a note added after resolution).
/// </summary>
public sealed class IncidentHistoryTimelineSource(IDbContextFactory<MonitoringDbContext> dbFactory) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == query.IncidentId, cancellationToken);
        if (incident is null) return [];
        var updates = await db.IncidentUpdates.AsNoTracking().Where(u => u.IncidentId == incident.Id)
            .OrderBy(u => u.AtMs).ThenBy(u => u.Id).Take(TimelineSql.MaxEntriesPerSource).ToListAsync(cancellationToken);
        var notes = await db.IncidentNotes.AsNoTracking().Where(n => n.IncidentId == incident.Id)
            .OrderBy(n => n.AtMs).ThenBy(n => n.Id).Take(TimelineSql.MaxEntriesPerSource).ToListAsync(cancellationToken);
        var reference = $"incident:{incident.Id}";
        var opener = updates.FirstOrDefault(u => u.Field == "opened")?.Actor ?? "system";
        var entries = new List<TimelineEntryDto>
        {
            new(TimelineSql.At(incident.StartedAtMs), "incident_opened", incident.IsAutomatic ? "Incident opened automatically" : "Incident opened",
                incident.Title, opener, incident.ServiceId, reference),
        };
        foreach (var u in updates)
        {
            var at = TimelineSql.At(u.AtMs);
            switch (u.Field)
            {
                case "opened":
                    break;
                case "acknowledged":
                    entries.Add(new(at, "incident_acknowledged", $"Acknowledged by {u.Actor}", null, u.Actor, null, reference));
                    break;
                case "status" when u.ToValue == "resolved":
                    entries.Add(new(at, "incident_resolved", "Incident resolved", $"was {u.FromValue}", u.Actor, null, reference));
                    break;
                case "status" when u.FromValue == "resolved":
                    entries.Add(new(at, "incident_updated", $"Incident reopened: {u.ToValue}", null, u.Actor, null, reference));
                    break;
                default:
                    entries.Add(new(at, "incident_updated", Describe(u), u.Field == "rootCause" ? u.ToValue : null, u.Actor, null, reference));
                    break;
            }
        }
        // The detector closes automatic incidents without an update row: say so at its time.
        if (incident.ResolvedAtMs is { } resolved && !updates.Any(u => u is { Field: "status", ToValue: "resolved" } && u.AtMs == resolved))
            entries.Add(new(TimelineSql.At(resolved), "incident_resolved", "Incident resolved automatically",
                $"The service recovered after {incident.ChecksFailedCount} failed checks.", "system", incident.ServiceId, reference));
        entries.AddRange(notes.Select(n => new TimelineEntryDto(TimelineSql.At(n.AtMs), "note", $"Note by {n.Author}", n.Text, n.Author, null, $"note:{n.Id}")));
        return entries;
    }

    private static string Describe(IncidentUpdateEntity u) => u.Field switch
    {
        "status" => $"Status: {u.FromValue} → {u.ToValue}",
        "severity" => $"Severity: {u.FromValue} → {u.ToValue}",
        "assignedTo" => u.ToValue is null ? "Unassigned" : $"Assigned to {u.ToValue}",
        "rootCause" => u.ToValue is null ? "Root cause cleared" : "Root cause written",
        _ => $"{u.Field}: {u.FromValue} → {u.ToValue}",
    };
}

/// <summary>Pushed events about the incident's services: source equal to a service's name, or a <c>serviceId</c> tag.</summary>
public sealed class EventTimelineSource(IOptions<MonitoringOptions> options, ServiceRegistry registry) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntryDto>> ReadAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        if (query.ServiceIds.Count == 0) return [];
        var names = query.ServiceIds.Select(id => registry.TryGet(id, out var s) ? s.Name : null).OfType<string>().ToList();
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText =
            $"""
            SELECT Id, TimestampMs, EventType, Source, Level, Message, TagsJson FROM events
            WHERE TimestampMs BETWEEN $from AND $to
              AND (Source IN ({TimelineSql.InList(cmd, "n", names)})
                   OR json_extract(TagsJson, '$.serviceId') IN ({TimelineSql.InList(cmd, "s", query.ServiceIds.Select(i => i.ToString(CultureInfo.InvariantCulture)))}))
            ORDER BY TimestampMs, Id LIMIT {TimelineSql.MaxEntriesPerSource}
            """;
        cmd.Parameters.AddWithValue("$from", query.FromMs);
        cmd.Parameters.AddWithValue("$to", query.ToMs);
        var entries = new List<TimelineEntryDto>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = reader.GetString(3);
            long? serviceId = query.ServiceIds.FirstOrDefault(id => registry.TryGet(id, out var s) && s.Name == source) is var byName && byName != 0 ? byName : null;
            if (serviceId is null && JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) is { } tags
                && tags.TryGetValue("serviceId", out var tagged) && long.TryParse(tagged, CultureInfo.InvariantCulture, out var tid))
                serviceId = tid;
            var message = reader.GetString(5);
            entries.Add(new TimelineEntryDto(TimelineSql.At(reader.GetInt64(1)), "event",
                $"{reader.GetString(2)} {reader.GetString(4)} from {(source.Length > 0 ? source : "unknown source")}",
                message.Length > 0 ? message : null, source.Length > 0 ? source : null, serviceId, $"event:{reader.GetInt64(0)}"));
        }
        return entries;
    }
}
