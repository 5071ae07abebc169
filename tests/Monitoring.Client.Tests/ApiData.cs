using System.Globalization;

namespace Monitoring.Client.Tests;

/// <summary>Canned REST payloads, written as the server writes them (camelCase JSON, ISO 8601 UTC).</summary>
public static class ApiData
{
    public static readonly DateTimeOffset T0 = ServiceData.CheckedAt;

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static string Check(DateTimeOffset at, string status = "healthy", double ms = 42, string? message = null, int? code = 200) =>
        $$"""{"serviceId":1,"checkedAt":"{{Iso(at)}}","dueAt":null,"status":"{{status}}","responseTimeMs":{{ms.ToString(CultureInfo.InvariantCulture)}},"message":{{(message is null ? "null" : $"\"{message}\"")}},"statusCode":{{(code is null ? "null" : code.ToString())}},"attempts":1}""";

    public static string Detail(string status = "healthy", int? thresholdMs = 800, params string[] newestFirst) =>
        $$"""
        {"service":{"id":1,"name":"api","type":"http","target":"https://api.example.test/health","intervalSeconds":30,"timeoutMs":5000,
          "retries":0,"thresholdMs":{{(thresholdMs is null ? "null" : thresholdMs.ToString())}},"criticality":"high","failureThreshold":1,"recoveryThreshold":1,"conditions":[],
          "tags":[],"enabled":true,"dependsOn":[],"heartbeatUrl":null,"createdAt":"{{Iso(T0.AddDays(-1))}}",
          "status":"{{status}}","lastCheckedAt":"{{Iso(T0)}}","responseTimeMs":42,"uptime24h":99.5,"message":null},
         "history":[{{string.Join(",", newestFirst)}}]}
        """;

    public static string Uptime(string period, double? percent, int incidents = 0) =>
        $$"""{"period":"{{period}}","uptimePercent":{{(percent is null ? "null" : percent.Value.ToString(CultureInfo.InvariantCulture))}},"incidents":{{incidents}},"downtimeSeconds":120,"mttrSeconds":60,"observedSeconds":86400}""";

    public static string Me(params string[] roles) =>
        $$"""{"name":"someone","actorType":"user","roles":[{{string.Join(",", roles.Select(r => $"\"{r}\""))}}],"scope":null}""";

    public static string Incident(long id, string title = "api is down", string status = "investigating", DateTimeOffset? started = null,
        DateTimeOffset? recovered = null, DateTimeOffset? resolved = null, long? serviceId = 1, int failed = 2) =>
        $$"""
        {"id":{{id}},"serviceId":{{(serviceId is null ? "null" : serviceId.ToString())}},"title":"{{title}}","description":null,"severity":"error","status":"{{status}}","automatic":true,
         "startedAt":"{{Iso(started ?? T0)}}","acknowledgedAt":null,"recoveredAt":{{Opt(recovered)}},"resolvedAt":{{Opt(resolved)}},
         "durationSeconds":300,"checksFailedCount":{{failed}},"rootCause":null,"assignedTo":null}
        """;

    public static string List(params string[] items) => "[" + string.Join(",", items) + "]";

    private static string Opt(DateTimeOffset? at) => at is { } t ? $"\"{Iso(t)}\"" : "null";
}
