using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Monitoring.Client.Admin;

/// <summary>
/// How every typed API client sends a request and turns the answer into an <see cref="ApiResult"/>:
/// never throws for an answer the server gives or for a network failure; a refusal comes back as an
/// <see cref="ApiProblem"/> with its field errors. <paramref name="forbidden"/> is the wording of a bare
/// 403 (who may do this).
/// </summary>
public sealed class ApiCalls(HttpClient http, string forbidden = "Only admins may do this.")
{
    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body };
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return ApiResult<T>.Failed(await ReadProblemAsync(response, forbidden, ct));
            var value = await response.Content.ReadFromJsonAsync(type, ct);
            return value is null ? ApiResult<T>.Failed(Unreadable((int)response.StatusCode)) : new ApiResult<T>(value, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ApiResult<T>.Failed(Unreachable(ex));
        }
    }

    /// <summary>A call whose success has no body worth reading (DELETE → 204).</summary>
    public async Task<ApiResult> SendAsync(HttpMethod method, string uri, HttpContent? body, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body };
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? ApiResult.Success : new ApiResult(await ReadProblemAsync(response, forbidden, ct));
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ApiResult(Unreachable(ex));
        }
    }

    public Task<ApiResult> DeleteAsync(string uri, CancellationToken ct) => SendAsync(HttpMethod.Delete, uri, null, ct);

    /// <summary>Turns any error answer into a problem; a body that isn't ProblemDetails still gets a readable title.</summary>
    public static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, string forbidden, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        ProblemBody? body = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length > 0 && text.TrimStart().StartsWith('{')) body = JsonSerializer.Deserialize(text, AdminJsonContext.Default.ProblemBody);
        }
        catch (JsonException)
        {
            // Not ProblemDetails (a proxy's HTML page, say): the status alone describes it.
        }
        var errors = body?.Errors is { Count: > 0 } e
            ? new Dictionary<string, string[]>(e, StringComparer.OrdinalIgnoreCase)
            : ApiProblem.NoErrors;
        // The server's 401 speaks to integrations ("send an API key"); a person in the browser needs to sign in again.
        if (response.StatusCode == HttpStatusCode.Unauthorized) return new ApiProblem(status, DefaultTitle(response.StatusCode, forbidden), null, errors);
        return new ApiProblem(status, body?.Title ?? DefaultTitle(response.StatusCode, forbidden), body?.Detail, errors);
    }

    private static string DefaultTitle(HttpStatusCode status, string forbidden) => status switch
    {
        HttpStatusCode.Unauthorized => "Your session has ended: sign in again.",
        HttpStatusCode.Forbidden => forbidden,
        HttpStatusCode.NotFound => "It no longer exists.",
        HttpStatusCode.TooManyRequests => "Too many requests: wait a moment and try again.",
        _ => $"The server answered {(int)status} {status}.",
    };

    private static ApiProblem Unreadable(int status) => new(status, "The server's answer could not be read.", null, ApiProblem.NoErrors);

    private static ApiProblem Unreachable(Exception ex) =>
        new(ApiProblem.NoResponse, "The server could not be reached.", ex.Message, ApiProblem.NoErrors);
}
