using Microsoft.AspNetCore.Components;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using MudBlazor;

namespace Monitoring.Client.Incidents;

/// <summary>
/// One incident and its timeline. The server has no timeline endpoint yet, so the page builds it
/// from the incident's times and the service's check results in the timeline's range.
/// </summary>
public partial class IncidentDetailPage : IDisposable
{
    /// <summary>Check results asked for per request (the API's maximum).</summary>
    public const int HistoryLimit = 1000;

    private enum LoadState { Loading, Loaded, NotFound, Failed }

    private readonly CancellationTokenSource _disposed = new();
    private LoadState _load;
    private string? _error;
    private IncidentInfo? _incident;
    private string _serviceName = "";
    private IReadOnlyList<TimelineEntry> _timeline = [];
    private List<BreadcrumbItem> _breadcrumbs = [];
    private bool _truncated;
    private long? _loadedId;

    [Inject] public required MonitoringApi Api { get; init; }
    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    [Parameter] public long Id { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == Id) return;
        _loadedId = Id;
        _load = LoadState.Loading;
        _breadcrumbs = [new("Incidents", "incidents"), new($"Incident {Id}", null, disabled: true)];
        await Store.StartAsync();
        try
        {
            var incident = await Api.GetIncidentAsync(Id, _disposed.Token);
            if (incident is null)
            {
                _load = LoadState.NotFound;
                return;
            }
            _incident = incident;
            _breadcrumbs = [new("Incidents", "incidents"), new(incident.Title, null, disabled: true)];
            var checks = incident.ServiceId is { } serviceId ? await LoadChecksAsync(incident, serviceId) : [];
            _serviceName = incident.ServiceId is { } sid && Store.TryGet(sid, out var s) && s is not null ? s.Name : $"Service {incident.ServiceId}";
            _timeline = IncidentTimeline.Build(incident, checks);
            _load = LoadState.Loaded;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (HttpRequestException ex)
        {
            _error = ex.StatusCode is { } code ? $"the server answered {(int)code}." : "the server could not be reached.";
            _load = LoadState.Failed;
        }
    }

    private async Task<IReadOnlyList<CheckResultInfo>> LoadChecksAsync(IncidentInfo incident, long serviceId)
    {
        var (from, to) = IncidentTimeline.Range(incident, Time.GetUtcNow());
        // Newest first, at most 1000: a long incident on a fast interval has more than that.
        var newest = await Api.GetHistoryAsync(serviceId, from, to, HistoryLimit, _disposed.Token);
        if (newest.Count < HistoryLimit) return newest;
        // Then the lead-up to the start matters most: fetch it separately and merge.
        _truncated = true;
        var leadUp = await Api.GetHistoryAsync(serviceId, from, incident.StartedAt, HistoryLimit, _disposed.Token);
        return newest.Concat(leadUp).DistinctBy(c => c.CheckedAt).ToList();
    }

    private static (string Label, string Icon, string Class) Look(TimelineEntryKind kind) => kind switch
    {
        TimelineEntryKind.ChecksFailed => ("Check failed", Icons.Material.Filled.Error, "bad"),
        TimelineEntryKind.ChecksDegraded => ("Check degraded", Icons.Material.Filled.Warning, "warn"),
        TimelineEntryKind.CheckRecovered => ("Check passed", Icons.Material.Filled.CheckCircle, "good"),
        TimelineEntryKind.ChecksPassed => ("Check passed", Icons.Material.Filled.CheckCircleOutline, "quiet"),
        TimelineEntryKind.IncidentStarted => ("Incident", Icons.Material.Filled.ReportProblem, "bad"),
        TimelineEntryKind.Acknowledged => ("Acknowledged", Icons.Material.Filled.PersonSearch, "info"),
        TimelineEntryKind.Recovered => ("Recovery", Icons.Material.Filled.Healing, "good"),
        _ => ("Resolved", Icons.Material.Filled.TaskAlt, "good"),
    };

    public void Dispose() => _disposed.Cancel();
}
