namespace Monitoring.Core.Notifications;

/// <summary>
/// Body of <c>POST /api/v1/notification-channels</c> and <c>PUT /{id}</c>. <c>settings</c> are the
/// non-secret settings of the type (webhook: url, template, headers; slack: channel name; email:
/// host, port, from, to[], useTls; pagerduty: url). <c>secrets</c> are write-only (webhook: hmacSecret,
/// slack: webhookUrl, email: username/password, pagerduty: routingKey): never returned, never logged; on
/// PUT an omitted secret keeps its stored value.
/// </summary>
public sealed record NotificationChannelInput(
    string? Name,
    string? Type,                 // webhook | slack | email | pagerduty (or a registered custom type)
    IReadOnlyDictionary<string, string>? Settings,
    IReadOnlyDictionary<string, string>? Secrets,
    IReadOnlyList<string>? Severities,           // routing: only these severities (all when empty)
    IReadOnlyDictionary<string, string>? MatchLabels, // routing: only alerts carrying these labels
    bool? Enabled);

public sealed record NotificationChannelDto(
    long Id,
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> SecretsSet,            // names of the secrets that have a value, never the values
    IReadOnlyList<string> Severities,
    IReadOnlyDictionary<string, string> MatchLabels,
    bool Enabled,
    string BreakerState,                         // closed | open | half-open
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Result of <c>POST /api/v1/notification-channels/{id}/test</c>.</summary>
public sealed record ChannelTestResult(bool Delivered, int? StatusCode, string? Error, double DurationMs);
