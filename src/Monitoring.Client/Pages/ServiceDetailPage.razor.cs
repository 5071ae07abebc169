using Microsoft.AspNetCore.Components;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using Monitoring.Client.Shared.Charts;
using Monitoring.Core.Collections;
using Monitoring.Core.Realtime;
using MudBlazor;

namespace Monitoring.Client.Pages;

/// <summary>
/// One service: live status, latency chart with the threshold line, status history, uptime per
/// period, its incidents and "Check now". The page loads the REST detail once, then follows the
/// live store: a newer <c>lastCheckedAt</c> appends a point instead of reloading.
/// </summary>
public partial class ServiceDetailPage : IDisposable
{
    /// <summary>Check results kept for the strip and the chart; the oldest fall off.</summary>
    public const int HistoryCapacity = 120;
    public const int ChartCapacity = 500;
    public const int IncidentsShown = 20;

    private enum LoadState { Loading, Loaded, NotFound, Failed }

    private readonly CancellationTokenSource _disposed = new();
    private RollingWindow<CheckResultInfo> _history = new(HistoryCapacity);
    private IReadOnlyList<CheckResultInfo> _historyView = [];
    private IReadOnlyList<ChartPoint> _initialPoints = [];
    private readonly Dictionary<string, UptimeInfo?> _uptime = [];
    private IReadOnlyList<IncidentInfo> _incidents = [];
    private List<BreadcrumbItem> _breadcrumbs = [];
    private LoadState _load;
    private string? _error;
    private ServiceInfo? _service;
    private AccountInfo? _account;
    private CheckResultInfo? _checkResult;
    private string? _checkError;
    private bool _checking;
    private TimeSeriesChart? _chart;
    private IDisposable? _subscription;
    private ITimer? _clock;
    private DateTimeOffset _now;
    private DateTimeOffset? _lastPointAt;
    private string? _lastStatus;
    private int _refreshing;
    private long? _loadedId;

    [Inject] public required MonitoringApi Api { get; init; }
    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    [Parameter] public long Id { get; set; }

    /// <summary>The store's copy once it has one: fresher than the REST detail.</summary>
    private ServiceStatusDto? Live => Store.TryGet(Id, out var s) ? s : null;

    private string Status => Live?.Status ?? _service?.Status ?? "unknown";
    private string? Message => Live is { } live ? live.Message : _service?.Message;
    private DateTimeOffset? LastCheckedAt => Live?.LastCheckedAt ?? _service?.LastCheckedAt;

    protected override async Task OnParametersSetAsync()
    {
        _now = Time.GetUtcNow();
        _subscription ??= Store.OnChanged(() => InvokeAsync(OnStoreChangedAsync));
        // "12 s ago" must age even when nothing changes.
        _clock ??= Time.CreateTimer(_ => InvokeAsync(() => { _now = Time.GetUtcNow(); StateHasChanged(); }), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        await Store.StartAsync();
        if (_loadedId == Id) return;
        _loadedId = Id;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _load = LoadState.Loading;
        _breadcrumbs = [new("Services", "services"), new($"Service {Id}", null, disabled: true)];
        try
        {
            var ct = _disposed.Token;
            // Independent requests: start them together.
            var detailTask = Api.GetServiceAsync(Id, ct);
            var accountTask = Api.GetMeAsync(ct);
            var incidentsTask = Api.GetServiceIncidentsAsync(Id, IncidentsShown, ct);
            var uptimeTasks = MonitoringApi.UptimePeriods.ToDictionary(p => p, p => Api.GetUptimeAsync(Id, p, ct));
            var detail = await detailTask;
            if (detail is null)
            {
                _load = LoadState.NotFound;
                return;
            }
            _service = detail.Service;
            _breadcrumbs = [new("Services", "services"), new(detail.Service.Name, null, disabled: true)];
            _history = new RollingWindow<CheckResultInfo>(HistoryCapacity);
            // The API lists newest first; the strip and the chart read left to right, oldest first.
            foreach (var result in detail.History.OrderBy(r => r.CheckedAt)) _history.Add(result);
            _historyView = _history.ToList();
            _initialPoints = _historyView.Select(r => new ChartPoint(r.CheckedAt, r.ResponseTimeMs)).ToList();
            _lastPointAt = _historyView.Count > 0 ? _historyView[^1].CheckedAt : null;
            _lastStatus = Status;
            _incidents = await incidentsTask;
            foreach (var (period, task) in uptimeTasks) _uptime[period] = await task;
            _account = await accountTask;
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

    private async Task OnStoreChangedAsync()
    {
        _now = Time.GetUtcNow();
        if (_load == LoadState.Loaded && Live is { } live)
        {
            if (live.LastCheckedAt is { } at && (_lastPointAt is null || at > _lastPointAt))
                await AddResultAsync(new CheckResultInfo(Id, at, null, live.Status, live.ResponseTimeMs ?? 0, live.Message, null, 1));
            if (!string.Equals(live.Status, _lastStatus, StringComparison.OrdinalIgnoreCase))
            {
                _lastStatus = live.Status;
                // A status change may open or close an incident and moves today's uptime.
                _ = RefreshIncidentsAsync();
            }
        }
        StateHasChanged();
    }

    private async Task AddResultAsync(CheckResultInfo result)
    {
        // The live store and "Check now" may both report the same check.
        if (_lastPointAt is { } last && result.CheckedAt <= last) return;
        _lastPointAt = result.CheckedAt;
        _history.Add(result);
        _historyView = _history.ToList();
        if (_chart is not null) await _chart.AppendAsync([new ChartPoint(result.CheckedAt, result.ResponseTimeMs)]);
    }

    private async Task RefreshIncidentsAsync()
    {
        // One refresh at a time: a flapping service must not stack requests.
        if (Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        try
        {
            var ct = _disposed.Token;
            var incidents = await Api.GetServiceIncidentsAsync(Id, IncidentsShown, ct);
            var day = await Api.GetUptimeAsync(Id, MonitoringApi.UptimePeriods[0], ct);
            await InvokeAsync(() =>
            {
                _incidents = incidents;
                _uptime[MonitoringApi.UptimePeriods[0]] = day;
                StateHasChanged();
            });
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The figures stay as they were; the next status change tries again.
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task CheckNowAsync()
    {
        _checking = true;
        _checkError = null;
        try
        {
            _checkResult = await Api.CheckNowAsync(Id, _disposed.Token);
            await AddResultAsync(_checkResult);
        }
        catch (HttpRequestException ex)
        {
            _checkError = ex.StatusCode switch
            {
                System.Net.HttpStatusCode.Forbidden => "Only operators and admins may run a check.",
                { } code => $"The check could not run: the server answered {(int)code}.",
                null => "The check could not run: the server could not be reached.",
            };
        }
        finally
        {
            _checking = false;
        }
    }

    private static string UptimeColor(double? percent) => percent switch
    {
        null => ChartColors.Neutral,
        >= 99.9 => ChartColors.Healthy,
        >= 99 => ChartColors.Degraded,
        _ => ChartColors.Unhealthy,
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _subscription?.Dispose();
        _clock?.Dispose();
    }
}
