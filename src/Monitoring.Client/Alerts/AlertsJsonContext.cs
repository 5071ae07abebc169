using System.Text.Json;
using System.Text.Json.Serialization;
using Monitoring.Core.Alerts;
using Monitoring.Core.Notifications;

namespace Monitoring.Client.Alerts;

/// <summary>
/// Source-generated metadata for the alert, rule, silence and channel payloads (camelCase, nulls left
/// out of request bodies so the server applies its defaults), so a trimmed publish still reads them.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<AlertDto>))]
[JsonSerializable(typeof(AlertDto))]
[JsonSerializable(typeof(List<AlertRuleDto>))]
[JsonSerializable(typeof(AlertRuleDto))]
[JsonSerializable(typeof(AlertRuleInput))]
[JsonSerializable(typeof(AlertRulePreview))]
[JsonSerializable(typeof(List<SilenceDto>))]
[JsonSerializable(typeof(SilenceDto))]
[JsonSerializable(typeof(SilenceInput))]
[JsonSerializable(typeof(List<NotificationChannelDto>))]
[JsonSerializable(typeof(List<ServiceRef>))]
internal sealed partial class AlertsJsonContext : JsonSerializerContext;

/// <summary>The two fields of a service the pickers need, read from <c>GET /api/v1/services</c>.</summary>
public sealed record ServiceRef(long Id, string Name);
