using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
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
        (SortColumn.Uptime, "Uptime 24 h", "number"),
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
