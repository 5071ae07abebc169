using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Monitoring.Client.Admin;

/// <summary>
/// Typed calls to the admin-only API (users, API keys, display links, audit). Never throws for an
/// answer the server gives: a refusal comes back as an <see cref="ApiProblem"/> with its field errors.
/// </summary>
public sealed class AdminApi(HttpClient http)
{
    private readonly ApiCalls _calls = new(http);
    private const string Users = "api/v1/users";
    private const string ApiKeys = "api/v1/api-keys";
    private const string DisplayLinks = "api/v1/display-links";
    private const string Audit = "api/v1/audit";

    private static AdminJsonContext Json => AdminJsonContext.Default;

    public Task<ApiResult<List<UserInfo>>> GetUsersAsync(CancellationToken ct = default) => GetAsync(Users, Json.ListUserInfo, ct);

    public Task<ApiResult<UserInfo>> CreateUserAsync(CreateUserRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, Users, JsonContent.Create(request, Json.CreateUserRequest), Json.UserInfo, ct);

    public Task<ApiResult<UserInfo>> UpdateUserAsync(string id, UpdateUserRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"{Users}/{Uri.EscapeDataString(id)}", JsonContent.Create(request, Json.UpdateUserRequest), Json.UserInfo, ct);

    public Task<ApiResult> DeleteUserAsync(string id, CancellationToken ct = default) => DeleteAsync($"{Users}/{Uri.EscapeDataString(id)}", ct);

    public Task<ApiResult<List<ApiKeyInfo>>> GetApiKeysAsync(CancellationToken ct = default) => GetAsync(ApiKeys, Json.ListApiKeyInfo, ct);

    public Task<ApiResult<ApiKeyInfo>> CreateApiKeyAsync(CreateApiKeyRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, ApiKeys, JsonContent.Create(request, Json.CreateApiKeyRequest), Json.ApiKeyInfo, ct);

    public Task<ApiResult> RevokeApiKeyAsync(long id, CancellationToken ct = default) => DeleteAsync($"{ApiKeys}/{id}", ct);

    public Task<ApiResult<List<DisplayLinkInfo>>> GetDisplayLinksAsync(CancellationToken ct = default) => GetAsync(DisplayLinks, Json.ListDisplayLinkInfo, ct);

    public Task<ApiResult<DisplayLinkInfo>> CreateDisplayLinkAsync(CreateDisplayLinkRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, DisplayLinks, JsonContent.Create(request, Json.CreateDisplayLinkRequest), Json.DisplayLinkInfo, ct);

    public Task<ApiResult> RevokeDisplayLinkAsync(long id, CancellationToken ct = default) => DeleteAsync($"{DisplayLinks}/{id}", ct);

    public Task<ApiResult<List<AuditEntry>>> GetAuditAsync(AuditQuery query, CancellationToken ct = default) =>
        GetAsync(Audit + query.ToQueryString(), Json.ListAuditEntry, ct);

    private Task<ApiResult<T>> GetAsync<T>(string uri, JsonTypeInfo<T> type, CancellationToken ct) => SendAsync(HttpMethod.Get, uri, null, type, ct);

    private Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct) =>
        _calls.SendAsync(method, uri, body, type, ct);

    private Task<ApiResult> DeleteAsync(string uri, CancellationToken ct) => _calls.DeleteAsync(uri, ct);

    /// <summary>Turns any error answer into a problem; a body that isn't ProblemDetails still gets a readable title.</summary>
    internal static Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct) =>
        ApiCalls.ReadProblemAsync(response, "Only admins may do this.", ct);
}
