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

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body };
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return ApiResult<T>.Failed(await ReadProblemAsync(response, ct));
            var value = await response.Content.ReadFromJsonAsync(type, ct);
            return value is null ? ApiResult<T>.Failed(Unreadable((int)response.StatusCode)) : new ApiResult<T>(value, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ApiResult<T>.Failed(Unreachable(ex));
        }
    }

    private async Task<ApiResult> DeleteAsync(string uri, CancellationToken ct)
    {
        try
        {
            using var response = await http.DeleteAsync(uri, ct);
            return response.IsSuccessStatusCode ? ApiResult.Success : new ApiResult(await ReadProblemAsync(response, ct));
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ApiResult(Unreachable(ex));
        }
    }

    /// <summary>Turns any error answer into a problem; a body that isn't ProblemDetails still gets a readable title.</summary>
    internal static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        ProblemBody? body = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length > 0 && text.TrimStart().StartsWith('{')) body = JsonSerializer.Deserialize(text, Json.ProblemBody);
        }
        catch (JsonException)
        {
            // Not ProblemDetails (a proxy's HTML page, say): the status alone describes it.
        }
        var errors = body?.Errors is { Count: > 0 } e
            ? new Dictionary<string, string[]>(e, StringComparer.OrdinalIgnoreCase)
            : ApiProblem.NoErrors;
        // The server's 401 speaks to integrations ("send an API key"); a person in the browser needs to sign in again.
        if (response.StatusCode == HttpStatusCode.Unauthorized) return new ApiProblem(status, DefaultTitle(response.StatusCode), null, errors);
        return new ApiProblem(status, body?.Title ?? DefaultTitle(response.StatusCode), body?.Detail, errors);
    }

    private static string DefaultTitle(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Your session has ended: sign in again.",
        HttpStatusCode.Forbidden => "Only admins may do this.",
        HttpStatusCode.NotFound => "It no longer exists.",
        HttpStatusCode.TooManyRequests => "Too many requests: wait a moment and try again.",
        _ => $"The server answered {(int)status} {status}.",
    };

    private static ApiProblem Unreadable(int status) => new(status, "The server's answer could not be read.", null, ApiProblem.NoErrors);

    private static ApiProblem Unreachable(Exception ex) =>
        new(ApiProblem.NoResponse, "The server could not be reached.", ex.Message, ApiProblem.NoErrors);
}
