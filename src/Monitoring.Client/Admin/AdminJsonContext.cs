using System.Text.Json;
using System.Text.Json.Serialization;
using Monitoring.Client.Account;

namespace Monitoring.Client.Admin;

/// <summary>Source-generated metadata for the account and admin APIs, so a trimmed WebAssembly publish still reads them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccountInfo))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(List<UserInfo>))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(List<ApiKeyInfo>))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(List<DisplayLinkInfo>))]
[JsonSerializable(typeof(DisplayLinkInfo))]
[JsonSerializable(typeof(CreateDisplayLinkRequest))]
[JsonSerializable(typeof(List<AuditEntry>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

/// <summary>The parts of an RFC 9457 ProblemDetails body the UI shows.</summary>
internal sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
