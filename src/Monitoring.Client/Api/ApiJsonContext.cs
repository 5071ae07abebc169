using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitoring.Client.Api;

/// <summary>Source-generated metadata for the REST payloads (camelCase, as the API writes them), so a trimmed publish reads them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceDetail))]
[JsonSerializable(typeof(List<CheckResultInfo>))]
[JsonSerializable(typeof(CheckResultInfo))]
[JsonSerializable(typeof(UptimeInfo))]
[JsonSerializable(typeof(List<IncidentInfo>))]
[JsonSerializable(typeof(IncidentInfo))]
[JsonSerializable(typeof(AccountInfo))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
