using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Monitoring.Client.Admin;
using Monitoring.Core.Alerts;
using Monitoring.Core.Notifications;

namespace Monitoring.Client.Alerts;

/// <summary>
/// Typed calls to the alert, rule and silence API (and the channel and service lists the editors pick
/// from). Never throws for an answer the server gives: a refusal comes back as an <see cref="ApiProblem"/>.
/// </summary>
public sealed class AlertsApi(HttpClient http)
{
    private readonly ApiCalls _calls = new(http, "Your role may not do this: operators and admins can.");
    public const string Alerts = "api/v1/alerts";
    public const string Rules = "api/v1/alert-rules";
    public const string Silences = "api/v1/silences";
    public const string Channels = "api/v1/notification-channels";
    public const string Services = "api/v1/services";

    /// <summary>Enough for any picker; the server's own maximum page.</summary>
    public const int PickerLimit = 1000;

    private static AlertsJsonContext Json => AlertsJsonContext.Default;

    public Task<ApiResult<List<AlertDto>>> GetAlertsAsync(AlertQuery query, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, Alerts + query.ToQueryString(), null, Json.ListAlertDto, ct);

    public Task<ApiResult<AlertDto>> AcknowledgeAsync(long id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"{Alerts}/{id}/acknowledge", null, Json.AlertDto, ct);

    public Task<ApiResult<AlertDto>> ResolveAsync(long id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"{Alerts}/{id}/resolve", null, Json.AlertDto, ct);

    public Task<ApiResult<List<AlertRuleDto>>> GetRulesAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"{Rules}?limit={PickerLimit}", null, Json.ListAlertRuleDto, ct);

    public Task<ApiResult<AlertRuleDto>> CreateRuleAsync(AlertRuleInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, Rules, JsonContent.Create(input, Json.AlertRuleInput), Json.AlertRuleDto, ct);

    public Task<ApiResult<AlertRuleDto>> UpdateRuleAsync(long id, AlertRuleInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"{Rules}/{id}", JsonContent.Create(input, Json.AlertRuleInput), Json.AlertRuleDto, ct);

    public Task<ApiResult> DeleteRuleAsync(long id, CancellationToken ct = default) => DeleteAsync($"{Rules}/{id}", ct);

    public Task<ApiResult<AlertRulePreview>> PreviewRuleAsync(AlertRuleInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"{Rules}/preview", JsonContent.Create(input, Json.AlertRuleInput), Json.AlertRulePreview, ct);

    public Task<ApiResult<List<SilenceDto>>> GetSilencesAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"{Silences}?limit={PickerLimit}", null, Json.ListSilenceDto, ct);

    public Task<ApiResult<SilenceDto>> CreateSilenceAsync(SilenceInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, Silences, JsonContent.Create(input, Json.SilenceInput), Json.SilenceDto, ct);

    public Task<ApiResult> DeleteSilenceAsync(long id, CancellationToken ct = default) => DeleteAsync($"{Silences}/{id}", ct);

    public Task<ApiResult<List<NotificationChannelDto>>> GetChannelsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, Channels, null, Json.ListNotificationChannelDto, ct);

    public Task<ApiResult<List<ServiceRef>>> GetServicesAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"{Services}?limit={PickerLimit}", null, Json.ListServiceRef, ct);

    private Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct) =>
        _calls.SendAsync(method, uri, body, type, ct);

    private Task<ApiResult> DeleteAsync(string uri, CancellationToken ct) => _calls.DeleteAsync(uri, ct);
}
