using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Monitoring.Client.Admin;
using Monitoring.Client.Api;
using Monitoring.Core.Incidents;

namespace Monitoring.Client.Incidents;

/// <summary>A note as <c>POST /api/v1/incidents/{id}/notes</c> returns it.</summary>
public sealed record IncidentNoteInfo(long Id, long IncidentId, string Author, string Text, DateTimeOffset At);

/// <summary>Source-generated metadata for the incident workflow (nulls left out: a PUT changes only what it sends).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IncidentInfo))]
[JsonSerializable(typeof(IncidentCreateInput))]
[JsonSerializable(typeof(IncidentUpdateInput))]
[JsonSerializable(typeof(IncidentNoteInput))]
[JsonSerializable(typeof(IncidentNoteInfo))]
[JsonSerializable(typeof(TimelinePage))]
internal sealed partial class IncidentsJsonContext : JsonSerializerContext;

/// <summary>
/// Typed calls to the incident workflow: open, update, acknowledge, notes, timeline. Never throws
/// for an answer the server gives: a refusal comes back as an <see cref="ApiProblem"/> with its field errors.
/// </summary>
public sealed class IncidentWorkflowApi(HttpClient http)
{
    private readonly ApiCalls _calls = new(http, "Your role may not do this: operators and admins can.");
    private const string Base = "api/v1/incidents";
    private static IncidentsJsonContext Json => IncidentsJsonContext.Default;

    public Task<ApiResult<TimelinePage>> GetTimelineAsync(long id, int limit, int offset, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"{Base}/{id}/timeline?limit={limit}&offset={offset}", null, Json.TimelinePage, ct);

    public Task<ApiResult<IncidentInfo>> CreateAsync(IncidentCreateInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, Base, JsonContent.Create(input, Json.IncidentCreateInput), Json.IncidentInfo, ct);

    public Task<ApiResult<IncidentInfo>> UpdateAsync(long id, IncidentUpdateInput input, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"{Base}/{id}", JsonContent.Create(input, Json.IncidentUpdateInput), Json.IncidentInfo, ct);

    public Task<ApiResult<IncidentInfo>> AcknowledgeAsync(long id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"{Base}/{id}/acknowledge", null, Json.IncidentInfo, ct);

    public Task<ApiResult<IncidentNoteInfo>> AddNoteAsync(long id, string text, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"{Base}/{id}/notes", JsonContent.Create(new IncidentNoteInput(text), Json.IncidentNoteInput), Json.IncidentNoteInfo, ct);

    private Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string uri, HttpContent? body, JsonTypeInfo<T> type, CancellationToken ct) =>
        _calls.SendAsync(method, uri, body, type, ct);
}
