using Microsoft.AspNetCore.Components;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Wall;

/// <summary>
/// The NOC wall: every service as a tile, worst first, counts per status and active incidents.
/// It needs no interaction: it alternates between the overview and the problem services every
/// <c>?rotate=</c> seconds, and the stale banner says when the data stopped being live.
/// </summary>
public partial class WallPage : IDisposable
{
    public const int DefaultRotateSeconds = 20;
    /// <summary>Tiles drawn on the overview; a screen can't show more, and the DOM stays small.</summary>
    public const int MaxTiles = 400;
    /// <summary>Above this many tiles they shrink.</summary>
    public const int DenseFrom = 48;
    public const int MaxIncidentsShown = 8;
    public static readonly TimeSpan IncidentRefreshInterval = TimeSpan.FromSeconds(30);

    internal enum WallView { Overview, Problems }

    private readonly CancellationTokenSource _disposed = new();
    private IDisposable? _subscription;
    private ITimer? _rotation;
    private ITimer? _incidentTimer;
    private WallView _view = WallView.Overview;
    private int _total;
    private Dictionary<string, int> _counts = [];
    private List<ServiceStatusDto> _shown = [];
    private List<ServiceStatusDto> _problems = [];
    private IReadOnlyList<IncidentInfo> _incidents = [];
    private string _problemSignature = "";
    private DateTimeOffset _now;
    private int _loadingIncidents;

    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required MonitoringApi Api { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>Seconds between views; 0 stays on the overview.</summary>
    [SupplyParameterFromQuery(Name = "rotate")] public int? RotateSeconds { get; set; }

    private string ViewName => _view == WallView.Problems ? "problems" : "overview";

    protected override async Task OnInitializedAsync()
    {
        Rebuild();
        _subscription = Store.OnChanged(() => InvokeAsync(async () =>
        {
            Rebuild();
            StateHasChanged();
            // Incidents open and close when the set of failing services changes.
            var signature = string.Join(',', _problems.Select(p => $"{p.Id}:{p.Status}"));
            if (signature != _problemSignature)
            {
                _problemSignature = signature;
                await LoadIncidentsAsync();
            }
        }));
        _incidentTimer = Time.CreateTimer(_ => InvokeAsync(LoadIncidentsAsync), null, IncidentRefreshInterval, IncidentRefreshInterval);
        var rotate = RotateSeconds ?? DefaultRotateSeconds;
        if (rotate > 0)
        {
            var period = TimeSpan.FromSeconds(Math.Max(rotate, 3));
            _rotation = Time.CreateTimer(_ => InvokeAsync(() => { Rotate(); StateHasChanged(); }), null, period, period);
        }
        await Store.StartAsync();
        await LoadIncidentsAsync();
    }

    // For testing.
    internal void Rotate()
    {
        // Nothing wrong: the problems view would be empty, so stay on the overview.
        _view = _view == WallView.Overview && _problems.Count > 0 ? WallView.Problems : WallView.Overview;
    }

    private void Rebuild()
    {
        _now = Time.GetUtcNow();
        var services = Store.GetServices();
        _total = services.Count;
        _counts = services.CountBy(s => StatusAppearance.For(s.Status).Status).ToDictionary();
        var ordered = services
            .OrderBy(s => StatusAppearance.For(s.Status).Severity)
            .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(s => s.Id);
        _shown = ordered.Take(MaxTiles).ToList();
        _problems = services.Where(IsProblem)
            .OrderBy(s => StatusAppearance.For(s.Status).Severity)
            .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .Take(MaxTiles)
            .ToList();
        if (_problems.Count == 0) _view = WallView.Overview;
    }

    private static bool IsProblem(ServiceStatusDto s) => StatusAppearance.For(s.Status).Status is "unhealthy" or "degraded";

    private async Task LoadIncidentsAsync()
    {
        if (Interlocked.Exchange(ref _loadingIncidents, 1) == 1) return;
        try
        {
            _incidents = await Api.GetActiveIncidentsAsync(_disposed.Token);
            _now = Time.GetUtcNow();
            StateHasChanged();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Keep the last list: the stale banner already says the data may be old.
        }
        finally
        {
            Volatile.Write(ref _loadingIncidents, 0);
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _subscription?.Dispose();
        _rotation?.Dispose();
        _incidentTimer?.Dispose();
    }
}
