using Microsoft.AspNetCore.Components;
using Monitoring.Client.Account;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using MudBlazor;
using Monitoring.Client.Shared;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Pages;

/// <summary>Every service with its live status; re-renders from the store's throttled callback, never per message.</summary>
public partial class ServicesPage : IDisposable
{
    public const int PageSize = 50;

    public enum SortColumn { Name, Type, Target, Status, Latency, Uptime, LastChecked }

    private static readonly (SortColumn Column, string Title, string Class)[] s_columns =
    [
        (SortColumn.Name, "Name", "name"),
        (SortColumn.Type, "Type", "type"),
        (SortColumn.Target, "Target", "target"),
        (SortColumn.Status, "Status", "status"),
        (SortColumn.Latency, "Latency", "number"),
        (SortColumn.Latency, "Trend", "trend"),
        (SortColumn.Uptime, "Uptime 24 h", "number"),
        (SortColumn.Uptime, "Uptime 7 d", "number"),
        (SortColumn.LastChecked, "Last checked", "checked"),
    ];

    private IDisposable? _subscription;
    private ITimer? _clock;
    private string _search = "";
    // Worst first by default: what needs attention is at the top.
    private SortColumn _sort = SortColumn.Status;
    private bool _descending;
    private int _page = 1;
    private int _total;
    private Dictionary<string, int> _counts = [];
    private List<ServiceStatusDto> _filtered = [];
    private DateTimeOffset _now;

    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required MonitoringApi Api { get; init; }
    [Inject] public required ServiceEditApi EditApi { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    // Fetched lazily for the rows on screen, and bounded: a huge registry pages through without growing these.
    public const int MaxCachedRows = 500;
    public const int TrendPoints = 30;
    private readonly Dictionary<long, IReadOnlyList<double?>> _trends = [];
    private readonly Dictionary<long, double?> _uptime7d = [];
    private readonly HashSet<long> _fetching = [];

    private int PageCount => Math.Max(1, (_filtered.Count + PageSize - 1) / PageSize);
    private int FirstShown => (_page - 1) * PageSize + 1;
    private int LastShown => Math.Min(_page * PageSize, _filtered.Count);
    private IEnumerable<ServiceStatusDto> PageItems => _filtered.Skip((_page - 1) * PageSize).Take(PageSize);

    protected override async Task OnInitializedAsync()
    {
        _subscription = Store.OnChanged(() => InvokeAsync(() =>
        {
            Rebuild();
            StateHasChanged();
        }));
        // "12 s ago" must age even when no service changes.
        _clock = Time.CreateTimer(_ => InvokeAsync(() =>
        {
            _now = Time.GetUtcNow();
            StateHasChanged();
        }), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        Rebuild();
        await Store.StartAsync();
        await User.LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        var missing = PageItems.Select(s => s.Id).Where(id => !_uptime7d.ContainsKey(id) && !_fetching.Contains(id)).ToList();
        if (missing.Count > 0) _ = FetchExtrasAsync(missing);
    }

    private async Task FetchExtrasAsync(List<long> ids)
    {
        if (_uptime7d.Count + ids.Count > MaxCachedRows) { _uptime7d.Clear(); _trends.Clear(); }
        foreach (var id in ids) _fetching.Add(id);
        var to = Time.GetUtcNow();
        await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                var history = await Api.GetHistoryAsync(id, to.AddHours(-24), to, TrendPoints);
                _trends[id] = [.. history.OrderBy(h => h.CheckedAt).Select(h => (double?)h.ResponseTimeMs)];
                _uptime7d[id] = (await Api.GetUptimeAsync(id, "7d"))?.UptimePercent;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                _uptime7d[id] = null;
            }
            finally
            {
                _fetching.Remove(id);
            }
        }));
        await InvokeAsync(StateHasChanged);
    }

    private async Task CreateAsync() => await OpenEditorAsync(null, new ServiceForm());

    private Task EditAsync(ServiceStatusDto s) => OpenEditorAsync(s.Id, new ServiceForm { Name = s.Name, Type = s.Type, Target = s.Target, IntervalSeconds = null, TimeoutMs = null, Criticality = null });

    private async Task OpenEditorAsync(long? id, ServiceForm form)
    {
        var parameters = new DialogParameters<ServiceEditDialog> { { d => d.Id, id }, { d => d.Form, form } };
        var dialog = await Dialogs.ShowAsync<ServiceEditDialog>(id is null ? "Add a service" : "Edit service", parameters);
        var result = await dialog.Result;
        if (result is { Canceled: false }) Snackbar.Add(id is null ? $"Added {form.Name}." : $"Saved {form.Name}.", Severity.Success);
    }

    private async Task TogglePauseAsync(ServiceStatusDto s)
    {
        var result = await EditApi.SetEnabledAsync(s.Id, !s.Enabled);
        if (result.IsSuccess) Snackbar.Add(s.Enabled ? $"Paused {s.Name}." : $"Resumed {s.Name}.", Severity.Info);
        else Snackbar.Add(result.Problem!.Summary, Severity.Error);
    }

    private async Task DeleteAsync(ServiceStatusDto s)
    {
        if (!await Dialogs.ConfirmAsync("Delete service", $"Delete {s.Name} and its history? This cannot be undone.", "Delete")) return;
        var result = await EditApi.DeleteAsync(s.Id);
        if (result.IsSuccess) Snackbar.Add($"Deleted {s.Name}.", Severity.Info);
        else Snackbar.Add(result.Problem!.Summary, Severity.Error);
    }

    private void Rebuild()
    {
        _now = Time.GetUtcNow();
        var services = Store.GetServices();
        _total = services.Count;
        _counts = services.CountBy(s => StatusAppearance.For(s.Status).Status).ToDictionary();
        IEnumerable<ServiceStatusDto> matching = string.IsNullOrWhiteSpace(_search)
            ? services
            : services.Where(s => s.Name.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase));
        _filtered = Sort(matching).ToList();
        _page = Math.Clamp(_page, 1, PageCount);
    }

    private IEnumerable<ServiceStatusDto> Sort(IEnumerable<ServiceStatusDto> services)
    {
        var ordered = _sort switch
        {
            SortColumn.Type => Order(services, s => s.Type),
            SortColumn.Target => Order(services, s => s.Target),
            SortColumn.Status => Order(services, s => StatusAppearance.For(s.Status).Severity),
            // Services never checked sort after all measured ones either way round.
            SortColumn.Latency => Order(services, s => s.ResponseTimeMs ?? double.MaxValue),
            SortColumn.Uptime => Order(services, s => s.Uptime24h ?? double.MaxValue),
            SortColumn.LastChecked => Order(services, s => s.LastCheckedAt ?? DateTimeOffset.MinValue),
            _ => Order(services, s => s.Name, StringComparer.OrdinalIgnoreCase),
        };
        // Ties keep a stable, readable order so rows don't shuffle between updates.
        return ordered.ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Id);
    }

    private IOrderedEnumerable<ServiceStatusDto> Order<TKey>(IEnumerable<ServiceStatusDto> services, Func<ServiceStatusDto, TKey> key, IComparer<TKey>? comparer = null) =>
        _descending ? services.OrderByDescending(key, comparer) : services.OrderBy(key, comparer);

    private void OnSearchChanged(string? value)
    {
        _search = value ?? "";
        _page = 1;
        Rebuild();
    }

    private void SortBy(SortColumn column)
    {
        _descending = _sort == column && !_descending;
        _sort = column;
        Rebuild();
    }

    private string AriaSort(SortColumn column) =>
        _sort != column ? "none" : _descending ? "descending" : "ascending";

    private void OnPageChanged(int page) => _page = Math.Clamp(page, 1, PageCount);

    public void Dispose()
    {
        _subscription?.Dispose();
        _clock?.Dispose();
    }
}
