using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Monitoring.Client.Admin;
using Monitoring.Core.Notifications;

namespace Monitoring.Client.Notifications;

/// <summary>Typed calls to <c>/api/v1/notification-channels</c>; refusals come back as <see cref="ApiProblem"/> with field errors.</summary>
public sealed class ChannelsApi(HttpClient http)
{
    private const string Root = "api/v1/notification-channels";
    private static ChannelsJsonContext Json => ChannelsJsonContext.Default;

    public Task<ApiResult<List<NotificationChannelDto>>> ListAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"{Root}?limit=1000", null, Json.ListNotificationChannelDto, ct);

    public Task<ApiResult<NotificationChannelDto>> CreateAsync(NotificationChannelInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, Root, JsonContent.Create(input, Json.NotificationChannelInput), Json.NotificationChannelDto, ct);

    public Task<ApiResult<NotificationChannelDto>> UpdateAsync(long id, NotificationChannelInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"{Root}/{id}", JsonContent.Create(input, Json.NotificationChannelInput), Json.NotificationChannelDto, ct);

    public Task<ApiResult<ChannelTestResult>> TestAsync(long id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"{Root}/{id}/test", null, Json.ChannelTestResult, ct);

    public async Task<ApiResult> DeleteAsync(long id, CancellationToken ct = default)
    {
        try
        {
            using var response = await http.DeleteAsync($"{Root}/{id}", ct);
            return response.IsSuccessStatusCode ? ApiResult.Success : new ApiResult(await AdminApi.ReadProblemAsync(response, ct));
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ApiResult(new ApiProblem(ApiProblem.NoResponse, "The server could not be reached.", ex.Message, ApiProblem.NoErrors));
        }
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, uri) { Content = body };
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return ApiResult<T>.Failed(await AdminApi.ReadProblemAsync(response, ct));
            var value = await response.Content.ReadFromJsonAsync(type, ct);
            return value is null
                ? ApiResult<T>.Failed(new ApiProblem((int)response.StatusCode, "The server's answer could not be read.", null, ApiProblem.NoErrors))
                : new ApiResult<T>(value, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ApiResult<T>.Failed(new ApiProblem(ApiProblem.NoResponse, "The server could not be reached.", ex.Message, ApiProblem.NoErrors));
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<NotificationChannelDto>))]
[JsonSerializable(typeof(NotificationChannelDto))]
[JsonSerializable(typeof(NotificationChannelInput))]
[JsonSerializable(typeof(ChannelTestResult))]
internal sealed partial class ChannelsJsonContext : JsonSerializerContext;
