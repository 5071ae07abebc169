using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Monitoring.Web.Notifications;

/// <summary>
/// Plain substitution of <c>{{name}}</c> placeholders from a fixed set of alert fields: no expressions,
/// no file access, no code (security issue #3). Inside a JSON template each value is JSON-escaped,
/// so an alert message cannot break out of its string.
/// </summary>
public static partial class NotificationTemplate
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "alert.id", "alert.ruleName", "alert.fingerprint", "alert.severity", "alert.state", "alert.message",
        "alert.value", "alert.startedAt", "alert.firedAt", "alert.resolvedAt", "alert.serviceId", "alert.incidentId",
        "alert.url", "alert.labels.<name>", "event.key", "event.kind", "event.at",
    ];

    private static readonly HashSet<string> s_fixed = new(Fields.Where(f => !f.EndsWith(">", StringComparison.Ordinal)), StringComparer.Ordinal);
    private const string LabelsPrefix = "alert.labels.";

    [GeneratedRegex(@"\{\{\s*([^{}\s]*)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>A template that is a JSON document gets JSON-escaped values.</summary>
    public static bool LooksLikeJson(string template)
    {
        var t = template.TrimStart();
        return t.StartsWith('{') || t.StartsWith('[');
    }

    /// <summary>The placeholders in <paramref name="template"/> that are not in <see cref="Fields"/>.</summary>
    public static List<string> UnknownPlaceholders(string template) =>
        [.. Placeholder().Matches(template).Select(m => m.Groups[1].Value).Where(name => !IsKnown(name)).Distinct()];

    private static bool IsKnown(string name) =>
        s_fixed.Contains(name) || (name.StartsWith(LabelsPrefix, StringComparison.Ordinal) && name.Length > LabelsPrefix.Length);

    /// <summary>Validates a template field: unknown placeholders, and a JSON template must render to valid JSON.</summary>
    public static void Validate(string? template, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(template)) return;
        if (template.Length > 16_384) { errors[field] = ["The template is longer than 16384 characters."]; return; }
        var unknown = UnknownPlaceholders(template);
        if (unknown.Count > 0)
        {
            errors[field] = [$"Unknown placeholder(s): {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}. Allowed: {string.Join(", ", Fields.Select(f => "{{" + f + "}}"))}."];
            return;
        }
        if (!LooksLikeJson(template)) return;
        try
        {
            using var _ = JsonDocument.Parse(Render(template, Sample, json: true));
        }
        catch (JsonException ex)
        {
            errors[field] = [$"The template starts like JSON but does not render to valid JSON: {ex.Message}"];
        }
    }

    public static string Render(string template, NotificationMessage message, bool json) =>
        Placeholder().Replace(template, m =>
        {
            var value = Value(m.Groups[1].Value, message) ?? "";
            if (!json) return value;
            var encoded = JsonSerializer.Serialize(value);
            return encoded[1..^1]; // the escaped content, without the quotes the template supplies
        });

    /// <summary>The value of one field, or null (unknown names render empty; saving rejects them).</summary>
    public static string? Value(string name, NotificationMessage message)
    {
        var a = message.Alert;
        if (name.StartsWith(LabelsPrefix, StringComparison.Ordinal))
            return a.Labels.TryGetValue(name[LabelsPrefix.Length..], out var label) ? label : "";
        return name switch
        {
            "alert.id" => a.Id.ToString(CultureInfo.InvariantCulture),
            "alert.ruleName" => a.RuleName,
            "alert.fingerprint" => a.Fingerprint,
            "alert.severity" => a.Severity,
            "alert.state" => a.State,
            "alert.message" => a.Message,
            "alert.value" => a.Value?.ToString("G", CultureInfo.InvariantCulture) ?? "",
            "alert.startedAt" => Time(a.StartedAt),
            "alert.firedAt" => Time(a.FiredAt),
            "alert.resolvedAt" => Time(a.ResolvedAt),
            "alert.serviceId" => a.ServiceId?.ToString(CultureInfo.InvariantCulture) ?? "",
            "alert.incidentId" => a.IncidentId?.ToString(CultureInfo.InvariantCulture) ?? "",
            "alert.url" => message.Url ?? "",
            "event.key" => message.EventKey,
            "event.kind" => message.Kind,
            "event.at" => Time(message.At),
            _ => null,
        };
    }

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A one-line human summary, shared by Slack, email subjects and PagerDuty.</summary>
    public static string Summary(NotificationMessage m)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(m.Alert.State.ToUpperInvariant()).Append("] ").Append(m.Alert.RuleName)
          .Append(" (").Append(m.Alert.Severity).Append(')');
        if (!string.IsNullOrWhiteSpace(m.Alert.Message)) sb.Append(": ").Append(m.Alert.Message);
        return sb.ToString();
    }

    /// <summary>A made-up alert, for validating templates and for <c>POST /{id}/test</c>.</summary>
    public static NotificationMessage Sample { get; } = TestMessage(DateTimeOffset.UnixEpoch, null);

    public static NotificationMessage TestMessage(DateTimeOffset now, string? url) =>
        new("test", "test",
            new Monitoring.Core.Alerts.AlertDto(0, null, "Test notification", "test", "firing", "info",
                "This is a test message from Monitoring.", new Dictionary<string, string> { ["test"] = "true" },
                null, null, 1, now, now, null, null, null, false, false, null, 0, now),
            now, url);
}
