using Microsoft.Data.Sqlite;
using Monitoring.Web.Data;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// The writer's prepared statements for one transaction. Every insert is guarded by the service
/// still existing, so a service deleted mid-batch cannot fail the batch on its foreign key.
/// </summary>
internal sealed class WriterCommands : IDisposable
{
    private readonly SqliteCommand _insertResult;
    private readonly SqliteCommand _addUptime;
    private readonly SqliteCommand _openIncident;
    private readonly SqliteCommand _closeIncident;
    private readonly SqliteCommand _countFailure;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _linkIncident;

    public WriterCommands(SqliteConnection connection, SqliteTransaction tx)
    {
        _insertResult = SqliteSetup.Prepare(connection, tx,
            """
            INSERT INTO check_results (ServiceId, DueAtMs, StartedAtMs, Status, LatencyMs, Message, StatusCode, Attempts)
            SELECT $sid, $due, $at, $status, $lat, $msg, $code, $attempts WHERE EXISTS (SELECT 1 FROM services WHERE Id = $sid)
            """, "$sid", "$due", "$at", "$status", "$lat", "$msg", "$code", "$attempts");
        _addUptime = SqliteSetup.Prepare(connection, tx,
            """
            INSERT INTO uptime_hours (ServiceId, HourStartMs, UpMs, ObservedMs)
            SELECT $sid, $hour, $up, $obs WHERE EXISTS (SELECT 1 FROM services WHERE Id = $sid)
            ON CONFLICT (ServiceId, HourStartMs) DO UPDATE SET UpMs = UpMs + excluded.UpMs, ObservedMs = ObservedMs + excluded.ObservedMs
            """, "$sid", "$hour", "$up", "$obs");
        _openIncident = SqliteSetup.Prepare(connection, tx,
            """
            INSERT INTO incidents (ServiceId, Title, Description, Severity, Status, IsAutomatic, StartedAtMs, ChecksFailedCount, UpdatedAtMs)
            SELECT $sid, $title, $desc, $sev, 'investigating', 1, $start, $failed, $now WHERE EXISTS (SELECT 1 FROM services WHERE Id = $sid)
            RETURNING Id
            """, "$sid", "$title", "$desc", "$sev", "$start", "$failed", "$now");
        _linkIncident = SqliteSetup.Prepare(connection, tx,
            "INSERT OR IGNORE INTO incident_services (IncidentId, ServiceId) VALUES ($id, $sid)", "$id", "$sid");
        _closeIncident = SqliteSetup.Prepare(connection, tx,
            """
            UPDATE incidents SET RecoveredAtMs = $recovered, ResolvedAtMs = COALESCE(ResolvedAtMs, $now), Status = 'resolved',
                ChecksFailedCount = $failed, UpdatedAtMs = $now
            WHERE Id = $id AND RecoveredAtMs IS NULL
            """, "$recovered", "$now", "$failed", "$id");
        _insertEvent = SqliteSetup.Prepare(connection, tx,
            "INSERT INTO stream_events (Topic, Type, AtMs, PayloadJson) VALUES ($topic, $type, $at, $json) RETURNING Seq",
            "$topic", "$type", "$at", "$json");
        _countFailure = SqliteSetup.Prepare(connection, tx,
            "UPDATE incidents SET ChecksFailedCount = $failed, UpdatedAtMs = $now WHERE Id = $id",
            "$failed", "$now", "$id");
    }

    public void InsertResult(CheckResult r)
    {
        var p = _insertResult.Parameters;
        p[0].Value = r.ServiceId;
        p[1].Value = r.DueAtMs;
        p[2].Value = r.StartedAtMs;
        p[3].Value = (int)r.Status;
        p[4].Value = r.LatencyMs;
        p[5].Value = (object?)r.Message ?? DBNull.Value;
        p[6].Value = (object?)r.StatusCode ?? DBNull.Value;
        p[7].Value = r.Attempts;
        _insertResult.ExecuteNonQuery();
    }

    public void AddUptime(long serviceId, long hourStartMs, long upMs, long observedMs)
    {
        var p = _addUptime.Parameters;
        p[0].Value = serviceId;
        p[1].Value = hourStartMs;
        p[2].Value = upMs;
        p[3].Value = observedMs;
        _addUptime.ExecuteNonQuery();
    }

    public long? OpenIncident(ServiceDefinition service, long startedAtMs, int checksFailed, string? message, long nowMs)
    {
        var p = _openIncident.Parameters;
        p[0].Value = service.Id;
        p[1].Value = $"{service.Name} is down";
        p[2].Value = (object?)message ?? DBNull.Value;
        p[3].Value = IncidentSeverity.FromCriticality(service.Criticality);
        p[4].Value = startedAtMs;
        p[5].Value = checksFailed;
        p[6].Value = nowMs;
        if (_openIncident.ExecuteScalar() is not long id) return null;
        // The incident workflow lists incidents by service through this link table.
        _linkIncident.Parameters[0].Value = id;
        _linkIncident.Parameters[1].Value = service.Id;
        _linkIncident.ExecuteNonQuery();
        return id;
    }

    public void CloseIncident(long incidentId, long recoveredAtMs, int checksFailed, long nowMs)
    {
        var p = _closeIncident.Parameters;
        p[0].Value = recoveredAtMs;
        p[1].Value = nowMs;
        p[2].Value = checksFailed;
        p[3].Value = incidentId;
        _closeIncident.ExecuteNonQuery();
    }

    public void CountFailure(long incidentId, int checksFailed, long nowMs)
    {
        var p = _countFailure.Parameters;
        p[0].Value = checksFailed;
        p[1].Value = nowMs;
        p[2].Value = incidentId;
        _countFailure.ExecuteNonQuery();
    }

    /// <summary>Appends a live-stream event; its sequence number is the SSE id.</summary>
    public long InsertEvent(string topic, string type, long atMs, string payloadJson)
    {
        var p = _insertEvent.Parameters;
        p[0].Value = topic;
        p[1].Value = type;
        p[2].Value = atMs;
        p[3].Value = payloadJson;
        return (long)_insertEvent.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _insertEvent.Dispose();
        _linkIncident.Dispose();
        _insertResult.Dispose();
        _addUptime.Dispose();
        _openIncident.Dispose();
        _closeIncident.Dispose();
        _countFailure.Dispose();
    }
}

/// <summary>Incident severities share the alert scale: info, warning, error, critical.</summary>
public static class IncidentSeverity
{
    public static readonly string[] All = ["info", "warning", "error", "critical"];

    public static string FromCriticality(Criticality c) => c switch
    {
        Criticality.Low => "info",
        Criticality.Medium => "warning",
        Criticality.High => "error",
        _ => "critical",
    };
}
