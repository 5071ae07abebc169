using System.Text.Json;

namespace Monitoring.Web.Notifications.Channels;

/// <summary>
/// Slack incoming webhook: <c>{"text": …, "attachments": [{color, fields}]}</c>. The webhook URL is the
/// secret <c>webhookUrl</c> (whoever has it can post). Settings: channel, username, template (the text).
/// </summary>
public sealed class SlackChannel(IHttpClientFactory http) : INotificationChannel
{
    public string Type => "slack";
    public IReadOnlyList<string> SecretNames { get; } = ["webhookUrl"];

    public void Validate(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        HttpDelivery.RequireUrl(secrets.GetValueOrDefault("webhookUrl"), "secrets.webhookUrl", errors, secret: true);
        NotificationTemplate.Validate(settings.GetValueOrDefault("template"), "settings.template", errors);
    }

    public Task<DeliveryResult> SendAsync(NotificationMessage message, ChannelConfig channel, string idempotencyKey, CancellationToken cancellationToken)
    {
        var url = channel.Secret("webhookUrl");
        if (url is null) return Task.FromResult(DeliveryResult.Fail("The channel has no webhookUrl.", retryable: false));
        var a = message.Alert;
        var text = channel.Setting("template") is { } template ? NotificationTemplate.Render(template, message, json: false) : NotificationTemplate.Summary(message);
        var fields = new List<object>
        {
            new { title = "Severity", value = a.Severity, @short = true },
            new { title = "State", value = a.State, @short = true },
        };
        if (a.Value is { } value) fields.Add(new { title = "Value", value = value.ToString("G", System.Globalization.CultureInfo.InvariantCulture), @short = true });
        foreach (var (k, v) in a.Labels) fields.Add(new { title = k, value = v, @short = true });
        var body = new Dictionary<string, object?>
        {
            ["text"] = text,
            ["attachments"] = new[]
            {
                new { color = Color(a), fallback = text, title = a.RuleName, title_link = message.Url, text = a.Message, fields, ts = message.At.ToUnixTimeSeconds() },
            },
        };
        if (channel.Setting("channel") is { } slackChannel) body["channel"] = slackChannel;
        if (channel.Setting("username") is { } username) body["username"] = username;
        return HttpDelivery.PostAsync(http, url, JsonSerializer.Serialize(body), "application/json", idempotencyKey, null, cancellationToken);
    }

    private static string Color(Monitoring.Core.Alerts.AlertDto a) =>
        a.State == "resolved" ? "good" : a.Severity switch { "critical" or "error" => "danger", "warning" => "warning", _ => "#439FE0" };
}
