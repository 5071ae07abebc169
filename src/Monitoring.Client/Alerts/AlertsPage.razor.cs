using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Admin;
using Monitoring.Core.Alerts;
using MudBlazor;

namespace Monitoring.Client.Alerts;

/// <summary>
/// The alert list. It reads the REST API: on load, when a filter changes, after acknowledge or
/// resolve, and every <see cref="RefreshInterval"/> while the page is open. A newer load cancels an
/// older one, so a slow answer for old filters never overwrites the current ones.
/// </summary>
public partial class AlertsPage : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _disposed = new();
    private readonly HashSet<long> _busy = [];
    private AlertQuery _query = new();
    private List<AlertDto> _alerts = [];
    private List<ServiceRef> _services = [];
    private Dictionary<long, string> _serviceNames = [];
    private CancellationTokenSource? _load;
    private ITimer? _timer;
    private bool _loaded;
    private bool _canOperate;
    private string? _error;
    private DateTimeOffset _now;
    private DateTimeOffset? _lastLoadedAt;

    [Inject] public required AlertsApi Api { get; init; }
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>Initial filters from the address, so a link can open e.g. one service's alerts.</summary>
    [SupplyParameterFromQuery(Name = "serviceId")] public long? ServiceIdFilter { get; set; }
    [SupplyParameterFromQuery(Name = "severity")] public string? SeverityFilter { get; set; }
    [SupplyParameterFromQuery(Name = "state")] public string? StateFilter { get; set; }
    [SupplyParameterFromQuery(Name = "activeOnly")] public bool? ActiveOnlyFilter { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _now = Time.GetUtcNow();
        _query = new AlertQuery(ActiveOnlyFilter ?? true, Known(SeverityFilter, AlertAppearance.Severities), ServiceIdFilter, Known(StateFilter, AlertAppearance.States));
        var services = LoadServicesAsync();
        var user = User.LoadAsync();
        await LoadAsync();
        _timer = Time.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, RefreshInterval, RefreshInterval);
        await user;
        _canOperate = User.IsOperator;
        await services;
    }

    private static string? Known(string? value, IReadOnlyList<string> allowed) =>
        value is not null && allowed.Contains(value.ToLowerInvariant()) ? value.ToLowerInvariant() : null;

    private async Task LoadServicesAsync()
    {
        var result = await Api.GetServicesAsync(_disposed.Token);
        // Without names the list still works: links show the id.
        if (result.Value is not { } services) return;
        _services = [.. services.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
        _serviceNames = services.ToDictionary(s => s.Id, s => s.Name);
    }

    private string ServiceName(long id) => _serviceNames.TryGetValue(id, out var name) ? name : $"Service {id}";

    // The timer's load: skipped while another load or an action is under way, so it never races them.
    private Task RefreshAsync() => _load is null && _busy.Count == 0 && !_disposed.IsCancellationRequested ? LoadAsync() : Task.CompletedTask;

    private async Task LoadAsync()
    {
        _load?.Cancel();
        using var load = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        _load = load;
        try
        {
            var result = await Api.GetAlertsAsync(_query, load.Token);
            if (load.IsCancellationRequested) return;
            _now = Time.GetUtcNow();
            _loaded = true;
            if (result.Value is { } alerts)
            {
                _alerts = alerts;
                _error = null;
                _lastLoadedAt = _now;
            }
            else
            {
                // Keep what is shown; say that it may be old.
                _error = $"Loading alerts failed: {result.Problem!.Summary}";
            }
        }
        catch (OperationCanceledException) when (load.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            if (ReferenceEquals(_load, load)) _load = null;
        }
        StateHasChanged();
    }

    private Task OnActiveOnlyChanged(bool value) => FilterAsync(_query with { ActiveOnly = value });

    private Task OnStateChanged(string value) => FilterAsync(_query with { State = string.IsNullOrEmpty(value) ? null : value });

    private Task OnSeverityChanged(string value) => FilterAsync(_query with { Severity = string.IsNullOrEmpty(value) ? null : value });

    private Task OnServiceChanged(long value) => FilterAsync(_query with { ServiceId = value == 0 ? null : value });

    private Task FilterAsync(AlertQuery query)
    {
        _query = query;
        return LoadAsync();
    }

    private static bool CanAcknowledge(AlertDto alert) => alert.AcknowledgedAt is null && !AlertAppearance.IsResolved(alert.State);

    private Task AcknowledgeAsync(AlertDto alert) => ActAsync(alert, "Acknowledged", "Acknowledging", Api.AcknowledgeAsync);

    private Task ResolveAsync(AlertDto alert) => ActAsync(alert, "Resolved", "Resolving", Api.ResolveAsync);

    private async Task ActAsync(AlertDto alert, string done, string doing, Func<long, CancellationToken, Task<ApiResult<AlertDto>>> call)
    {
        if (!_busy.Add(alert.Id)) return;
        ApiResult<AlertDto> result;
        try
        {
            result = await call(alert.Id, _disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            _busy.Remove(alert.Id);
        }
        if (result.Value is { } updated)
        {
            Replace(updated);
            Snackbar.Add($"{done}: {alert.RuleName}.", Severity.Success);
        }
        else
        {
            Snackbar.Add($"{doing} \"{alert.RuleName}\" failed: {result.Problem!.Summary}", Severity.Error);
        }
        // The server may have changed more than this row (a 409 means someone else resolved it).
        await LoadAsync();
    }

    private void Replace(AlertDto updated)
    {
        var index = _alerts.FindIndex(a => a.Id == updated.Id);
        if (index >= 0) _alerts[index] = updated;
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _timer?.Dispose();
    }
}
