using System.Text.Json;

namespace Monitoring.Web.Notifications.Channels;

/// <summary>
/// PagerDuty Events API v2: <c>routing_key</c> (the secret <c>routingKey</c>), <c>event_action</c>
/// trigger / acknowledge / resolve, <c>dedup_key</c> = the alert's fingerprint (so PagerDuty folds
/// repeats and resolves the right incident), <c>payload</c> summary / severity / source.
/// Settings: url (default the public endpoint), source.
/// </summary>
public sealed class PagerDutyChannel(IHttpClientFactory http) : INotificationChannel
{
    public const string DefaultUrl = "https://events.pagerduty.com/v2/enqueue";

    public string Type => "pagerduty";
    public IReadOnlyList<string> SecretNames { get; } = ["routingKey"];

    public void Validate(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        HttpDelivery.RequireUrl(settings.GetValueOrDefault("url"), "settings.url", errors, required: false);
        if (string.IsNullOrWhiteSpace(secrets.GetValueOrDefault("routingKey"))) errors["secrets.routingKey"] = ["Required: the integration's routing key."];
    }

    public Task<DeliveryResult> SendAsync(NotificationMessage message, ChannelConfig channel, string idempotencyKey, CancellationToken cancellationToken)
    {
        var routingKey = channel.Secret("routingKey");
        if (routingKey is null) return Task.FromResult(DeliveryResult.Fail("The channel has no routingKey.", retryable: false));
        var a = message.Alert;
        var body = new
        {
            routing_key = routingKey,
            event_action = Action(message),
            dedup_key = a.Fingerprint,
            client = "Monitoring",
            client_url = message.Url,
            payload = new
            {
                summary = Truncate(NotificationTemplate.Summary(message), 1024),
                severity = a.Severity is "critical" or "error" or "warning" or "info" ? a.Severity : "error",
                source = channel.Setting("source") ?? a.Labels.GetValueOrDefault("service") ?? (a.ServiceId is { } id ? $"service-{id}" : "monitoring"),
                timestamp = message.At,
                component = a.Labels.GetValueOrDefault("service"),
                @class = a.RuleName,
                custom_details = new { a.Message, a.Value, a.Labels, a.State, alertId = a.Id, eventKey = message.EventKey },
            },
        };
        return HttpDelivery.PostAsync(http, channel.Setting("url") ?? DefaultUrl, JsonSerializer.Serialize(body), "application/json", idempotencyKey, null, cancellationToken);
    }

    public static string Action(NotificationMessage message) =>
        message.Alert.State == "resolved" || message.Kind == "resolved" ? "resolve"
        : message.Kind == "acknowledged" ? "acknowledge"
        : "trigger";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
