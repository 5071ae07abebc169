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
    private readonly ApiCalls _calls = new(http);
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

    public Task<ApiResult> DeleteAsync(long id, CancellationToken ct = default) => _calls.DeleteAsync($"{Root}/{id}", ct);

    private Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct) =>
        _calls.SendAsync(method, uri, body, type, ct);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<NotificationChannelDto>))]
[JsonSerializable(typeof(NotificationChannelDto))]
[JsonSerializable(typeof(NotificationChannelInput))]
[JsonSerializable(typeof(ChannelTestResult))]
internal sealed partial class ChannelsJsonContext : JsonSerializerContext;
