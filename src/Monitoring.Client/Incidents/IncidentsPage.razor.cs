using Microsoft.AspNetCore.Components;
using Monitoring.Client.Api;
using Monitoring.Client.Account;
using Monitoring.Client.Live;
using MudBlazor;

namespace Monitoring.Client.Incidents;

/// <summary>
/// Open incidents and the most recent ones. The page reloads when the server's event stream reports
/// an incident change (opened, updated, acknowledged, resolved — also manual ones and a teammate's
/// edits), when the live store reports a status change, and every <see cref="RefreshInterval"/> as
/// a fallback; one load at a time.
/// </summary>
public partial class IncidentsPage : IDisposable
{
    public const int RecentShown = 100;
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<IncidentInfo> _active = [];
    private IReadOnlyList<IncidentInfo> _recent = [];
    private bool _loaded;
    private string? _error;
    private DateTimeOffset _now;
    private DateTimeOffset? _lastLoadedAt;
    private IDisposable? _subscription;
    private IDisposable? _listening;
    private ITimer? _timer;
    private string _statusSignature = "";
    private int _loading;
    private int _loadAgain;

    [Inject] public required MonitoringApi Api { get; init; }
    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required CurrentUser User { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required IncidentEventStream Events { get; init; }

    private async Task OpenIncidentAsync()
    {
        var reference = await Dialogs.ShowAsync<OpenIncidentDialog>("Open an incident", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await reference.Result is { Canceled: false, Data: IncidentInfo created }) Navigation.NavigateTo($"incidents/{created.Id}");
    }

    protected override async Task OnInitializedAsync()
    {
        _statusSignature = StatusSignature();
        _subscription = Store.OnChanged(() => InvokeAsync(async () =>
        {
            var signature = StatusSignature();
            if (signature == _statusSignature)
            {
                // Service names may have arrived (the first snapshot often lands after the lists).
                StateHasChanged();
                return;
            }
            _statusSignature = signature;
            await LoadAsync();
        }));
        _timer = Time.CreateTimer(_ => InvokeAsync(LoadAsync), null, RefreshInterval, RefreshInterval);
        _listening = Events.Listen(signal =>
        {
            if (signal.Topic == "incidents" || signal.Type == IncidentEventStream.Resynced) _ = InvokeAsync(LoadAsync);
        });
        await Task.WhenAll(Store.StartAsync(), User.LoadAsync());
        await LoadAsync();
    }

    /// <summary>One load at a time; a request that arrives during one causes exactly one more after it.</summary>
    private async Task LoadAsync()
    {
        if (Interlocked.Exchange(ref _loading, 1) == 1)
        {
            Volatile.Write(ref _loadAgain, 1);
            return;
        }
        do
        {
            Volatile.Write(ref _loadAgain, 0);
            await LoadOnceAsync();
        }
        while (Volatile.Read(ref _loadAgain) == 1 && !_disposed.IsCancellationRequested);
        Volatile.Write(ref _loading, 0);
        StateHasChanged();
    }

    private async Task LoadOnceAsync()
    {
        try
        {
            var active = Api.GetActiveIncidentsAsync(_disposed.Token);
            var recent = Api.GetIncidentsAsync(RecentShown, _disposed.Token);
            _active = await active;
            _recent = await recent;
            _error = null;
            _loaded = true;
            _now = Time.GetUtcNow();
            _lastLoadedAt = _now;
        }
        catch (HttpRequestException ex)
        {
            // Keep what is shown; say that it may be old.
            _error = $"Loading incidents failed ({(ex.StatusCode is { } code ? $"HTTP {(int)code}" : "no answer")}); showing what was loaded before.";
            _loaded = true;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    // Which services are failing: it changes exactly when incidents may have opened or closed.
    private string StatusSignature() =>
        string.Join(',', Store.GetServices().Where(s => s.Status is "unhealthy" or "degraded").Select(s => $"{s.Id}:{s.Status}").Order());

    private string ServiceName(long id) => Store.TryGet(id, out var s) && s is not null ? s.Name : $"Service {id}";

    public void Dispose()
    {
        _disposed.Cancel();
        _subscription?.Dispose();
        _listening?.Dispose();
        _timer?.Dispose();
    }
}
