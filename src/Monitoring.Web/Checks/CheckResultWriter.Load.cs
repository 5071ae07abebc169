using Microsoft.Data.Sqlite;
using Monitoring.Core.Incidents;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

public sealed partial class CheckResultWriter
{
    // Results replayed per service at start: enough to rebuild any threshold (max 100).
    private const int ReplayDepth = 100;

    /// <summary>
    /// Rebuilds the detector and uptime state from the store: open automatic incidents, the
    /// recent results of each service (for the consecutive counters) and the last result
    /// (for the next uptime span and the live status).
    /// </summary>
    private async Task LoadStateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT ServiceId, Id, ChecksFailedCount FROM incidents WHERE IsAutomatic = 1 AND RecoveredAtMs IS NULL AND ServiceId IS NOT NULL";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = Detector(reader.GetInt64(0));
                state.OpenIncidentId = reader.GetInt64(1);
                state.ChecksFailedInIncident = reader.GetInt32(2);
                _openIncidents++;
            }
        }

        // Per service, only as many recent results as its thresholds need, through the
        // (ServiceId, StartedAtMs) index: start time grows with services, not with history.
        var recent = new Dictionary<long, List<(long AtMs, bool Up, int Status, double Latency, string? Message)>>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText =
                """
                SELECT StartedAtMs, Status, LatencyMs, Message FROM check_results
                WHERE ServiceId = $id ORDER BY StartedAtMs DESC, Id DESC LIMIT $depth
                """;
            var idParam = cmd.Parameters.AddWithValue("$id", 0L);
            var depthParam = cmd.Parameters.AddWithValue("$depth", 1);
            cmd.Prepare();
            foreach (var service in _registry.All)
            {
                idParam.Value = service.Id;
                depthParam.Value = Math.Min(ReplayDepth, Math.Max(service.FailureThreshold, service.RecoveryThreshold));
                var list = new List<(long AtMs, bool Up, int Status, double Latency, string? Message)>();
                await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var status = reader.GetInt32(1);
                        list.Add((reader.GetInt64(0), IsUp(status), status, reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
                    }
                }
                if (list.Count == 0) continue;
                list.Reverse();
                recent[service.Id] = list;
            }
        }

        foreach (var (id, list) in recent)
        {
            Detector(id).Replay(list.Select(r => (r.AtMs, r.Up)));
            var last = list[^1];
            _lastResult[id] = (last.AtMs, last.Up);
            _states.Set(id, new LiveState((ServiceStatus)last.Status, last.AtMs, last.Latency, last.Message, null));
        }
    }

    private IncidentDetectorState Detector(long serviceId)
    {
        if (!_detectors.TryGetValue(serviceId, out var state)) _detectors[serviceId] = state = new IncidentDetectorState();
        return state;
    }

    private static bool IsUp(int status) => (ServiceStatus)status is ServiceStatus.Healthy or ServiceStatus.Degraded;
}
