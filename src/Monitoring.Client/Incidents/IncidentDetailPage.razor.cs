using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Admin;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Core.Incidents;
using MudBlazor;

namespace Monitoring.Client.Incidents;

/// <summary>
/// One incident, its server-built timeline (oldest first, paged), and for operators the workflow:
/// status, severity, assignee, root cause, acknowledge, notes. The page re-reads the incident and the
/// entries shown when the server's event stream names this incident (a teammate's change, a linked
/// alert); while the stream is down, and as a safety net every <see cref="LiveSafetyTicks"/> ticks,
/// it re-reads an open incident every <see cref="RefreshInterval"/>.
/// </summary>
public partial class IncidentDetailPage : IDisposable
{
    public const int PageSize = 200;
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    /// <summary>With the stream live, only every 12th tick (one minute) re-reads.</summary>
    public const int LiveSafetyTicks = 12;
    private static readonly string[] Statuses = ["investigating", "identified", "monitoring", "resolved"];
    private static readonly string[] Severities = ["info", "warning", "error", "critical"];

    private enum LoadState { Loading, Loaded, NotFound, Failed }

    private readonly CancellationTokenSource _disposed = new();
    private LoadState _load;
    private string? _error;
    private IncidentInfo? _incident;
    private List<TimelineEntryDto> _entries = [];
    private int _total;
    private string? _timelineError;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private long? _loadedId;
    private ITimer? _timer;
    private int _refreshing;
    private int _refreshAgain;
    private int _ticks;
    private IDisposable? _listening;
    private bool _busy;
    // The edit form and the note box.
    private string _status = "";
    private string _severity = "";
    private string? _assignee;
    private string? _rootCause;
    private ApiProblem? _problem;
    private string? _note;
    private ApiProblem? _noteProblem;

    [Inject] public required MonitoringApi Api { get; init; }
    [Inject] public required IncidentWorkflowApi Workflow { get; init; }
    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required IncidentEventStream Events { get; init; }

    [Parameter] public long Id { get; set; }

    private bool CanOperate => User.IsOperator;

    private bool HasChanges => _incident is { } i &&
        (_status != i.Status || _severity != i.Severity || (_assignee ?? "") != (i.AssignedTo ?? "") || (_rootCause ?? "") != (i.RootCause ?? ""));

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == Id) return;
        _loadedId = Id;
        _load = LoadState.Loading;
        _entries = [];
        _total = 0;
        _breadcrumbs = [new("Incidents", "incidents"), new($"Incident {Id}", null, disabled: true)];
        await Task.WhenAll(Store.StartAsync(), User.LoadAsync());
        try
        {
            var incident = await Api.GetIncidentAsync(Id, _disposed.Token);
            if (incident is null)
            {
                _load = LoadState.NotFound;
                return;
            }
            Show(incident);
            _breadcrumbs = [new("Incidents", "incidents"), new(incident.Title, null, disabled: true)];
            _load = LoadState.Loaded;
            await LoadTimelineAsync(0, PageSize);
            _timer ??= Time.CreateTimer(_ => InvokeAsync(TickAsync), null, RefreshInterval, RefreshInterval);
            _listening ??= Events.Listen(OnSignal);
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

    private void Show(IncidentInfo incident)
    {
        // Keep what the person is typing; take the server's values where they did not edit.
        var edited = _incident is not null && HasChanges;
        _incident = incident;
        if (edited) return;
        _status = incident.Status;
        _severity = incident.Severity;
        _assignee = incident.AssignedTo;
        _rootCause = incident.RootCause;
    }

    private async Task LoadTimelineAsync(int offset, int limit)
    {
        var page = await Workflow.GetTimelineAsync(Id, limit, offset, _disposed.Token);
        if (!page.IsSuccess)
        {
            _timelineError = $"Loading the timeline failed: {page.Problem!.Summary}";
            return;
        }
        _timelineError = null;
        var value = page.Value!;
        _entries = offset == 0 ? [.. value.Entries] : [.. _entries.Take(offset), .. value.Entries];
        _total = value.Total;
    }

    private async Task LoadMoreAsync()
    {
        _busy = true;
        await LoadTimelineAsync(_entries.Count, PageSize);
        _busy = false;
    }

    /// <summary>Re-reads the incident and the entries shown (at least a page, at most the API's limit).</summary>
    private async Task ReloadAsync()
    {
        if (await Api.GetIncidentAsync(Id, _disposed.Token) is { } incident) Show(incident);
        await LoadTimelineAsync(0, Math.Clamp(_entries.Count, PageSize, 1000));
    }

    private Task TickAsync()
    {
        var tick = ++_ticks;
        if (_incident is not { IsOpen: true } || (Events.IsLive && tick % LiveSafetyTicks != 0)) return Task.CompletedTask;
        return RefreshAsync();
    }

    /// <summary>Called on the stream's thread: an event about this incident (or a resync after a reconnect) re-reads it, resolved or not.</summary>
    private void OnSignal(IncidentSignal signal)
    {
        if (signal.IncidentId == Id || signal.Type == IncidentEventStream.Resynced) _ = InvokeAsync(RefreshAsync);
    }

    /// <summary>One re-read at a time; a signal that arrives during one causes exactly one more.</summary>
    private async Task RefreshAsync()
    {
        if (_incident is null) return;
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            Volatile.Write(ref _refreshAgain, 1);
            return;
        }
        try
        {
            do
            {
                Volatile.Write(ref _refreshAgain, 0);
                await ReloadAsync();
                StateHasChanged();
            }
            while (Volatile.Read(ref _refreshAgain) == 1 && !_disposed.IsCancellationRequested);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The next tick or event tries again; what is shown stays.
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task SaveAsync()
    {
        var i = _incident!;
        var input = new IncidentUpdateInput(
            _status != i.Status ? _status : null,
            (_rootCause ?? "") != (i.RootCause ?? "") ? _rootCause ?? "" : null,
            _severity != i.Severity ? _severity : null,
            (_assignee ?? "") != (i.AssignedTo ?? "") ? _assignee ?? "" : null,
            null);
        await ChangeAsync(Workflow.UpdateAsync(Id, input, _disposed.Token), "Saved.");
    }

    private Task AcknowledgeAsync() => ChangeAsync(Workflow.AcknowledgeAsync(Id, _disposed.Token), "Acknowledged.");

    private async Task ChangeAsync(Task<ApiResult<IncidentInfo>> call, string done)
    {
        _busy = true;
        var result = await call;
        _busy = false;
        _problem = result.Problem;
        if (!result.IsSuccess)
        {
            if (_problem!.Unplaced("status", "severity", "assignedTo", "rootCause") is { } other) Snackbar.Add(other, Severity.Error);
            return;
        }
        _incident = null; // take every value from the server's answer
        Show(result.Value!);
        Snackbar.Add(done, Severity.Success);
        await LoadTimelineAsync(0, Math.Clamp(_entries.Count, PageSize, 1000));
    }

    private async Task AddNoteAsync()
    {
        _busy = true;
        var result = await Workflow.AddNoteAsync(Id, _note ?? "", _disposed.Token);
        _busy = false;
        _noteProblem = result.Problem;
        if (!result.IsSuccess) return;
        _note = null;
        // The note is the newest entry: make sure the page that holds it is shown.
        await LoadTimelineAsync(0, Math.Clamp(Math.Max(_entries.Count + 1, _total + 1), PageSize, 1000));
    }

    private static IReadOnlyList<long> ServiceIds(IncidentInfo incident) =>
        incident.ServiceIds is { Count: > 0 } ids ? ids : incident.ServiceId is { } id ? [id] : [];

    private string ServiceName(long id) => Store.TryGet(id, out var s) && s is not null ? s.Name : $"Service {id}";

    public void Dispose()
    {
        _disposed.Cancel();
        _timer?.Dispose();
        _listening?.Dispose();
    }
}
