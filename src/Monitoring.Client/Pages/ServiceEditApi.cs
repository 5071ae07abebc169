using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Monitoring.Client.Admin;
using Monitoring.Client.Api;

namespace Monitoring.Client.Pages;

/// <summary>The service form's fields, as <c>POST/PUT /api/v1/services</c> takes them (nulls are left out, so a PUT changes only what it names).</summary>
public sealed class ServiceForm
{
    public string? Name { get; set; }
    public string? Type { get; set; } = "http";
    public string? Target { get; set; }
    public int? IntervalSeconds { get; set; } = 60;
    public int? TimeoutMs { get; set; } = 5000;
    public int? ThresholdMs { get; set; }
    public string? Criticality { get; set; } = "medium";
    public bool? Enabled { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceForm))]
internal sealed partial class ServiceEditJsonContext : JsonSerializerContext;

/// <summary>Create, change, pause and delete services; failures come back as <see cref="ApiProblem"/> with errors by field.</summary>
public sealed class ServiceEditApi(HttpClient http)
{
    private readonly ApiCalls _calls = new(http, "Your role may not do this: operators and admins can.");
    public Task<ApiResult> CreateAsync(ServiceForm form, CancellationToken ct = default) => SendAsync(HttpMethod.Post, "api/v1/services", form, ct);

    public Task<ApiResult> UpdateAsync(long id, ServiceForm form, CancellationToken ct = default) => SendAsync(HttpMethod.Put, $"api/v1/services/{id}", form, ct);

    public Task<ApiResult> SetEnabledAsync(long id, bool enabled, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"api/v1/services/{id}", new ServiceForm { Type = null, IntervalSeconds = null, TimeoutMs = null, Criticality = null, Enabled = enabled }, ct);

    public Task<ApiResult> DeleteAsync(long id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/services/{id}", null, ct);

    private Task<ApiResult> SendAsync(HttpMethod method, string uri, ServiceForm? form, CancellationToken ct) =>
        _calls.SendAsync(method, uri, form is null ? null : JsonContent.Create(form, ServiceEditJsonContext.Default.ServiceForm), ct);
}
