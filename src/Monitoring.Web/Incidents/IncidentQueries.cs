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
    double DurationSeconds, int ChecksFailedCount, string? RootCause, string? AssignedTo);

/// <summary>Reads incidents and the figures derived from them (uptime, MTTR).</summary>
public sealed class IncidentQueries(IDbContextFactory<MonitoringDbContext> dbFactory, IOptions<MonitoringOptions> options, TimeProvider time)
{
    public static readonly string[] Statuses = ["investigating", "identified", "monitoring", "resolved"];

    public async Task<List<IncidentResponse>> ListAsync(IncidentFilter filter, int limit, int offset, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Incidents.AsNoTracking().AsQueryable();
        if (filter.Status == "active") q = q.Where(i => i.Status != "resolved");
        else if (filter.Status is { } s) q = q.Where(i => i.Status == s);
        if (filter.ServiceId is { } sid) q = q.Where(i => i.ServiceId == sid);
        if (filter.FromMs is { } f) q = q.Where(i => i.StartedAtMs >= f);
        if (filter.ToMs is { } t) q = q.Where(i => i.StartedAtMs <= t);
        var rows = await q.OrderByDescending(i => i.StartedAtMs).ThenByDescending(i => i.Id).Skip(offset).Take(limit).ToListAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return rows.Select(r => ToResponse(r, now)).ToList();
    }

    public async Task<IncidentResponse?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        return row is null ? null : ToResponse(row, time.GetUtcNow().ToUnixTimeMilliseconds());
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

    public static IncidentResponse ToResponse(IncidentEntity e, long nowMs)
    {
        var end = e.RecoveredAtMs ?? e.ResolvedAtMs ?? nowMs;
        return new IncidentResponse(e.Id, e.ServiceId, e.Title, e.Description, e.Severity, e.Status, e.IsAutomatic,
            DateTimeOffset.FromUnixTimeMilliseconds(e.StartedAtMs), ServiceDtoMapping.Time(e.AcknowledgedAtMs),
            ServiceDtoMapping.Time(e.RecoveredAtMs), ServiceDtoMapping.Time(e.ResolvedAtMs),
            Math.Max(0, end - e.StartedAtMs) / 1000.0, e.ChecksFailedCount, e.RootCause, e.AssignedTo);
    }
}
