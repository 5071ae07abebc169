namespace Monitoring.Client.Notifications;

/// <summary>One input of a channel type's form: a setting, or a write-only secret.</summary>
public sealed record ChannelField(string Name, string Label, bool Secret = false, string? Helper = null, bool Multiline = false, bool Required = false)
{
    /// <summary>The server's error key for this field (<c>settings.url</c>, <c>secrets.routingKey</c>).</summary>
    public string ErrorKey => (Secret ? "secrets." : "settings.") + Name;
}

/// <summary>The built-in types and their fields, mirroring the server's validation. Custom types get a free-form settings box.</summary>
public static class ChannelFields
{
    private const string TemplateHelp = "Optional. Placeholders: {{alert.ruleName}}, {{alert.severity}}, {{alert.state}}, {{alert.message}}, {{alert.value}}, {{alert.labels.x}}, {{alert.startedAt}}, {{alert.url}}.";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<ChannelField>> ByType = new Dictionary<string, IReadOnlyList<ChannelField>>
    {
        ["webhook"] =
        [
            new("url", "URL", Helper: "Where the JSON is POSTed (http or https).", Required: true),
            new("template", "Body template", Helper: TemplateHelp, Multiline: true),
            new("headers", "Extra headers", Helper: "One 'Name: value' per line.", Multiline: true),
            new("hmacSecret", "Signing secret", Secret: true, Helper: "Optional, 16+ characters: signs each body (X-Monitoring-Signature)."),
        ],
        ["slack"] =
        [
            new("webhookUrl", "Incoming webhook URL", Secret: true, Required: true),
            new("channel", "Channel override", Helper: "Optional, e.g. #ops."),
            new("template", "Message template", Helper: TemplateHelp, Multiline: true),
        ],
        ["email"] =
        [
            new("host", "SMTP host", Required: true),
            new("port", "Port", Helper: "Default 587 (25 without TLS)."),
            new("useTls", "Use TLS", Helper: "true, false, or empty for STARTTLS when offered."),
            new("from", "From address", Required: true),
            new("to", "To", Helper: "Comma-separated addresses.", Required: true),
            new("subject", "Subject template", Helper: TemplateHelp),
            new("username", "Username", Secret: true),
            new("password", "Password", Secret: true),
        ],
        ["pagerduty"] =
        [
            new("routingKey", "Routing key", Secret: true, Required: true, Helper: "The Events API v2 integration key."),
            new("url", "Events URL", Helper: "Optional; default https://events.pagerduty.com/v2/enqueue."),
            new("source", "Source", Helper: "Optional; default the alert's service."),
        ],
    };

    public static readonly IReadOnlyList<string> Severities = ["info", "warning", "error", "critical"];

    public static IReadOnlyList<ChannelField> For(string type) => ByType.TryGetValue(type, out var fields) ? fields : [];
}
