using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Monitoring.Web.Notifications.Channels;

/// <summary>
/// POSTs JSON to a URL: the default body, or the <c>template</c> setting with placeholders. With the
/// <c>hmacSecret</c> secret, <c>X-Monitoring-Signature: sha256=&lt;hex&gt;</c> is the HMAC-SHA256 of
/// <c>{timestamp}.{body}</c>, and <c>X-Monitoring-Timestamp</c> carries the Unix seconds.
/// Settings: url, template, contentType, headers ("Name: value" lines).
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory http, TimeProvider time) : INotificationChannel
{
    public const string SignatureHeader = "X-Monitoring-Signature";
    public const string TimestampHeader = "X-Monitoring-Timestamp";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
        { "Idempotency-Key", SignatureHeader, TimestampHeader, "Host", "Content-Length", "Transfer-Encoding", "Connection" };

    public string Type => "webhook";
    public IReadOnlyList<string> SecretNames { get; } = ["hmacSecret"];

    public void Validate(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        HttpDelivery.RequireUrl(settings.GetValueOrDefault("url"), "settings.url", errors);
        NotificationTemplate.Validate(settings.GetValueOrDefault("template"), "settings.template", errors);
        if (settings.GetValueOrDefault("headers") is { Length: > 0 } headers)
        {
            foreach (var line in headers.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = line.IndexOf(':');
                var name = colon > 0 ? line[..colon].Trim() : "";
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                    errors["settings.headers"] = ["Each line must be 'Name: value' with a header name of letters, digits, '-' or '_'."];
                else if (s_reservedHeaders.Contains(name))
                    errors["settings.headers"] = [$"'{name}' is set by the channel itself."];
            }
        }
        if (secrets.GetValueOrDefault("hmacSecret") is { Length: > 0 and < 16 })
            errors["secrets.hmacSecret"] = ["Use at least 16 characters."];
    }

    public Task<DeliveryResult> SendAsync(NotificationMessage message, ChannelConfig channel, string idempotencyKey, CancellationToken cancellationToken)
    {
        var url = channel.Setting("url");
        if (url is null) return Task.FromResult(DeliveryResult.Fail("The channel has no url.", retryable: false));
        var template = channel.Setting("template");
        var body = template is null
            ? JsonSerializer.Serialize(new { eventKey = message.EventKey, kind = message.Kind, at = message.At, url = message.Url, alert = message.Alert }, s_json)
            : NotificationTemplate.Render(template, message, NotificationTemplate.LooksLikeJson(template));
        var contentType = channel.Setting("contentType") ?? (template is null || NotificationTemplate.LooksLikeJson(template) ? "application/json" : "text/plain");

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in (channel.Setting("headers") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        if (channel.Secret("hmacSecret") is { } secret)
        {
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            headers.Add(new(TimestampHeader, timestamp));
            headers.Add(new(SignatureHeader, "sha256=" + Sign(secret, timestamp, body)));
        }
        return HttpDelivery.PostAsync(http, url, body, contentType, idempotencyKey, headers, cancellationToken);
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <c>{timestamp}.{body}</c> (UTF-8) with the secret (UTF-8).</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
}
