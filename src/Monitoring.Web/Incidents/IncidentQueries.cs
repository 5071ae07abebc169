using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Services;

namespace Monitoring.Web.Incidents;

public sealed record IncidentFilter(string? Status, long? ServiceId, long? FromMs, long? ToMs);

public sealed record IncidentResponse(
    long Id, long? ServiceId, string Title, string? Description, string Severity, string Status, bool Automatic,
    DateTimeOffset StartedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? RecoveredAt, DateTimeOffset? ResolvedAt,
    double DurationSeconds, int ChecksFailedCount, string? RootCause, string? AssignedTo, IReadOnlyList<long> ServiceIds);

/// <summary>Mean time to acknowledge and to recover (seconds) of one service over a period; null when no incident counts.</summary>
public sealed record ServiceResponseTimes(long ServiceId, string Name, double? MttaSeconds, double? MttrSeconds, int Incidents);

public sealed record ResponseTimes(string Period, double? MttaSeconds, double? MttrSeconds, IReadOnlyList<ServiceResponseTimes> Services);

/// <summary>Reads incidents and the figures derived from them (uptime, MTTA, MTTR).</summary>
public sealed class IncidentQueries(IDbContextFactory<MonitoringDbContext> dbFactory, IOptions<MonitoringOptions> options, TimeProvider time)
{
    public static readonly string[] Statuses = ["investigating", "identified", "monitoring", "resolved"];

    public async Task<List<IncidentResponse>> ListAsync(IncidentFilter filter, int limit, int offset, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Incidents.AsNoTracking().AsQueryable();
        if (filter.Status == "active") q = q.Where(i => i.Status != "resolved");
        else if (filter.Status is { } s) q = q.Where(i => i.Status == s);
        if (filter.ServiceId is { } sid) q = q.Where(i => i.ServiceId == sid || db.IncidentServices.Any(l => l.IncidentId == i.Id && l.ServiceId == sid));
        if (filter.FromMs is { } f) q = q.Where(i => i.StartedAtMs >= f);
        if (filter.ToMs is { } t) q = q.Where(i => i.StartedAtMs <= t);
        var rows = await q.OrderByDescending(i => i.StartedAtMs).ThenByDescending(i => i.Id).Skip(offset).Take(limit).ToListAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = rows.Select(r => r.Id).ToList();
        var links = (await db.IncidentServices.AsNoTracking().Where(l => ids.Contains(l.IncidentId)).ToListAsync(ct))
            .ToLookup(l => l.IncidentId, l => l.ServiceId);
        return rows.Select(r => ToResponse(r, now, Merge(r, links[r.Id]))).ToList();
    }

    public async Task<IncidentResponse?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null) return null;
        return ToResponse(row, time.GetUtcNow().ToUnixTimeMilliseconds(), await ServiceIdsAsync(db, row, ct));
    }

    /// <summary>The services an incident covers: its link rows, plus an automatic incident's own service.</summary>
    public static async Task<List<long>> ServiceIdsAsync(MonitoringDbContext db, IncidentEntity incident, CancellationToken ct) =>
        Merge(incident, await db.IncidentServices.AsNoTracking().Where(l => l.IncidentId == incident.Id).Select(l => l.ServiceId).ToListAsync(ct));

    private static List<long> Merge(IncidentEntity incident, IEnumerable<long> linked)
    {
        var ids = linked.ToList();
        if (incident.ServiceId is { } own && !ids.Contains(own)) ids.Add(own);
        ids.Sort();
        return ids;
    }

    public async Task<int> CountOpenAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Incidents.CountAsync(i => i.Status != "resolved", ct);
    }

    public async Task<UptimeResponse> UptimeAsync(ServiceDefinition service, string period, long nowMs, CancellationToken ct)
    {
        var fromMs = nowMs - UptimeMath.PeriodMs(period);
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(ct);
        var span = await UptimeQueries.ComputeAsync(connection, service, fromMs, nowMs, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => i.ServiceId == service.Id && i.StartedAtMs < nowMs && (i.RecoveredAtMs == null || i.RecoveredAtMs > fromMs))
            .Select(i => new { i.StartedAtMs, i.RecoveredAtMs })
            .ToListAsync(ct);
        var downtimeMs = incidents.Sum(i => Math.Min(i.RecoveredAtMs ?? nowMs, nowMs) - Math.Max(i.StartedAtMs, fromMs));
        var recovered = incidents.Where(i => i.RecoveredAtMs is { } r && r >= fromMs).Select(i => (i.RecoveredAtMs!.Value - i.StartedAtMs) / 1000.0).ToList();
        return new UptimeResponse(period, span.Percent is { } p ? Math.Round(p, 3) : null, incidents.Count(i => i.StartedAtMs >= fromMs),
            Math.Max(0, downtimeMs) / 1000.0, UptimeMath.MeanSeconds(recovered) is { } m ? Math.Round(m, 3) : null, span.ObservedMs / 1000.0);
    }

    /// <summary>
    /// MTTA and MTTR over a period, overall and per service (through the incident's services),
    /// computed in SQL. MTTA averages acknowledgedAt − startedAt over incidents acknowledged in the
    /// period; MTTR averages (recoveredAt ?? resolvedAt) − startedAt over incidents closed in the
    /// period: the uptime endpoint's mttrSeconds, since an incident resolved by hand gets its
    /// recoveredAt then. <c>incidents</c> counts the incidents that started in the period.
    /// </summary>
    public async Task<ResponseTimes> ResponseTimesAsync(string period, long nowMs, CancellationToken ct)
    {
        var fromMs = nowMs - UptimeMath.PeriodMs(period);
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(ct);
        const string Figures =
            """
            AVG(CASE WHEN i.AcknowledgedAtMs BETWEEN $from AND $now THEN i.AcknowledgedAtMs - i.StartedAtMs END) / 1000.0,
            AVG(CASE WHEN COALESCE(i.RecoveredAtMs, i.ResolvedAtMs) BETWEEN $from AND $now THEN COALESCE(i.RecoveredAtMs, i.ResolvedAtMs) - i.StartedAtMs END) / 1000.0,
            COUNT(CASE WHEN i.StartedAtMs BETWEEN $from AND $now THEN 1 END)
            """;
        const string InPeriod =
            """
            (i.StartedAtMs BETWEEN $from AND $now OR i.AcknowledgedAtMs BETWEEN $from AND $now
             OR COALESCE(i.RecoveredAtMs, i.ResolvedAtMs) BETWEEN $from AND $now)
            """;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText =
            $"""
            SELECT {Figures} FROM incidents i WHERE {InPeriod};
            SELECT s.Id, s.Name, {Figures}
            FROM incident_services l JOIN incidents i ON i.Id = l.IncidentId JOIN services s ON s.Id = l.ServiceId
            WHERE {InPeriod}
            GROUP BY s.Id, s.Name ORDER BY s.Id;
            """;
        cmd.Parameters.AddWithValue("$from", fromMs);
        cmd.Parameters.AddWithValue("$now", nowMs);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        double? Seconds(int i) => reader.IsDBNull(i) ? null : Math.Round(reader.GetDouble(i), 3);
        await reader.ReadAsync(ct);
        var (mtta, mttr) = (Seconds(0), Seconds(1));
        await reader.NextResultAsync(ct);
        var services = new List<ServiceResponseTimes>();
        while (await reader.ReadAsync(ct))
            services.Add(new ServiceResponseTimes(reader.GetInt64(0), reader.GetString(1), Seconds(2), Seconds(3), reader.GetInt32(4)));
        return new ResponseTimes(period, mtta, mttr, services);
    }

    public static IncidentResponse ToResponse(IncidentEntity e, long nowMs, IReadOnlyList<long> serviceIds)
    {
        var end = e.RecoveredAtMs ?? e.ResolvedAtMs ?? nowMs;
        return new IncidentResponse(e.Id, e.ServiceId, e.Title, e.Description, e.Severity, e.Status, e.IsAutomatic,
            DateTimeOffset.FromUnixTimeMilliseconds(e.StartedAtMs), ServiceDtoMapping.Time(e.AcknowledgedAtMs),
            ServiceDtoMapping.Time(e.RecoveredAtMs), ServiceDtoMapping.Time(e.ResolvedAtMs),
            Math.Max(0, end - e.StartedAtMs) / 1000.0, e.ChecksFailedCount, e.RootCause, e.AssignedTo, serviceIds);
    }
}
