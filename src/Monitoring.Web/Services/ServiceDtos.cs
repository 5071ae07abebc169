using Monitoring.Core.Checks;
using Monitoring.Core.Realtime;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;

namespace Monitoring.Web.Services;

public sealed record ServiceResponse(
    long Id, string Name, string Type, string Target, int IntervalSeconds, int TimeoutMs, int Retries, int? ThresholdMs,
    string Criticality, int FailureThreshold, int RecoveryThreshold, IReadOnlyList<CheckCondition> Conditions,
    IReadOnlyList<string> Tags, bool Enabled, IReadOnlyList<long> DependsOn, string? HeartbeatUrl, DateTimeOffset CreatedAt,
    string Status, DateTimeOffset? LastCheckedAt, double? ResponseTimeMs, double? Uptime24h, string? Message);

public sealed record ServiceDetailResponse(ServiceResponse Service, IReadOnlyList<CheckResultResponse> History);

public sealed record CheckResultResponse(
    long ServiceId, DateTimeOffset CheckedAt, DateTimeOffset? DueAt, string Status, double ResponseTimeMs, string? Message, int? StatusCode, int Attempts);

public sealed record HealthResponse(long ServiceId, string Status, DateTimeOffset? LastCheckedAt, double? ResponseTimeMs, string? Message);

public sealed record UptimeResponse(string Period, double? UptimePercent, int Incidents, double DowntimeSeconds, double? MttrSeconds, double ObservedSeconds);

public static class ServiceDtoMapping
{
    public static string StatusOf(ServiceDefinition s, LiveState state) =>
        s.Enabled ? state.Status.ToApi() : ServiceStatus.Paused.ToApi();

    public static ServiceResponse ToResponse(this ServiceDefinition s, LiveState state) => new(
        s.Id, s.Name, s.Type.ToApi(), s.Target, s.IntervalSeconds, s.TimeoutMs, s.Retries, s.ThresholdMs,
        s.Criticality.ToApi(), s.FailureThreshold, s.RecoveryThreshold, s.Conditions, s.Tags, s.Enabled, s.DependsOn,
        s.HeartbeatToken is { } token ? $"/api/v1/heartbeat/{token}" : null,
        DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedAtMs),
        StatusOf(s, state), Time(state.LastCheckedAtMs), state.LatencyMs, state.Uptime24h, state.Message);

    public static ServiceStatusDto ToStatusDto(this ServiceDefinition s, LiveState state) => new(
        s.Id, s.Name, s.Type.ToApi(), s.Target, StatusOf(s, state), Time(state.LastCheckedAtMs), state.LatencyMs,
        state.Uptime24h, state.Message, s.Tags, s.Enabled);

    public static CheckResultResponse ToResponse(this CheckResult r) => new(
        r.ServiceId, DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAtMs), r.DueAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(r.DueAtMs) : null,
        r.Status.ToApi(), r.LatencyMs, r.Message, r.StatusCode, r.Attempts);

    public static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
