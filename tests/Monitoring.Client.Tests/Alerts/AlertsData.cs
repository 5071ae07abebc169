using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Alerts;

namespace Monitoring.Client.Tests.Alerts;

/// <summary>The alert pages' test host: the shared one plus the alerts client and a clock the test moves.</summary>
public abstract class AlertsTestContext : MonitoringTestContext
{
    protected AlertsTestContext()
    {
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddScoped<AlertsApi>();
        Api.Json("GET", AlertsApi.Services, new[] { AlertsData.Service(3, "checkout"), AlertsData.Service(4, "db") });
        Api.Json("GET", AlertsApi.Channels, new[] { AlertsData.Channel(1, "ops-slack", "slack"), AlertsData.Channel(2, "pager", "pagerduty") });
    }

    protected FakeTimeProvider Time { get; } = new(AlertsData.Now);
}

/// <summary>The alert API's JSON bodies as the server writes them (camelCase, lower-case enum-like strings).</summary>
public static class AlertsData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public static object Service(long id, string name) =>
        new { id, name, type = "http", target = "http://127.0.0.1/", intervalSeconds = 30, timeoutMs = 1000, criticality = "high", enabled = true, status = "healthy" };

    public static object Channel(long id, string name, string type, bool enabled = true) =>
        new { id, name, type, settings = new Dictionary<string, string>(), secretsSet = Array.Empty<string>(), severities = Array.Empty<string>(),
              matchLabels = new Dictionary<string, string>(), enabled, breakerState = "closed", createdAt = Now, updatedAt = Now };

    public static object Alert(long id, string state = "firing", string severity = "critical", string rule = "CPU high", long? serviceId = 3,
        long? incidentId = null, string? acknowledgedBy = null, bool silenced = false, bool suppressed = false, long? suppressedByIncidentId = null) =>
        new
        {
            id, ruleId = 10, ruleName = rule, fingerprint = $"fp-{id}", state, severity, message = $"{rule} on host a",
            labels = new Dictionary<string, string> { ["host"] = "a" }, serviceId, incidentId, value = 93.5,
            startedAt = Now.AddMinutes(-10), firedAt = state == "pending" ? (DateTimeOffset?)null : Now.AddMinutes(-9),
            resolvedAt = state == "resolved" ? Now.AddMinutes(-1) : (DateTimeOffset?)null,
            acknowledgedAt = acknowledgedBy is null ? (DateTimeOffset?)null : Now.AddMinutes(-5), acknowledgedBy,
            silenced, suppressed, suppressedByIncidentId, notificationsSent = 1, updatedAt = Now,
        };

    public static object Rule(long id, string name, string kind = "metric", string? query = "cpu_usage{host=\"a\"}", string op = ">", double threshold = 80,
        int forSeconds = 60, long[]? channelIds = null, long[]? serviceIds = null, bool enabled = true, string severity = "warning") =>
        new
        {
            id, name, description = (string?)null, kind, query, @operator = op, threshold, forSeconds, windowSeconds = 60, aggregation = "avg", severity,
            labels = new Dictionary<string, string> { ["team"] = "web" }, channelIds = channelIds ?? [1], serviceIds = serviceIds ?? [],
            repeatIntervalSeconds = 3600, enabled, createdAt = Now, updatedAt = Now,
        };

    public static object Silence(long id, string comment, bool activeNow, object? schedule = null, DateTimeOffset? endsAt = null) =>
        new
        {
            id, comment, matchers = new[] { new { name = "service", op = "=", value = "db" } }, startsAt = Now.AddHours(-1), endsAt, schedule,
            activeNow, createdBy = "alice", createdAt = Now.AddHours(-2),
        };
}
