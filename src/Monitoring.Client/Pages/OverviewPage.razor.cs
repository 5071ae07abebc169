using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
using Monitoring.Client.Pages.Overview;
using Monitoring.Client.Shared;
using MudBlazor;

namespace Monitoring.Client.Pages;

/// <summary>The landing page: metric cards, the status grid, the alert feed and open incidents, all live.</summary>
public partial class OverviewPage : IDisposable
{
    private IReadOnlyList<string> _metrics = [];
    private IDisposable? _subscription;
    private ITimer? _clock;

    [Inject] public required ConnectionStore Connection { get; init; }
    [Inject] public required MetricSelection Selection { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    private string ConnectionIcon => Connection.State switch
    {
        LiveConnectionState.Live => Icons.Material.Filled.Sensors,
        LiveConnectionState.Reconnecting => Icons.Material.Filled.Sync,
        _ => Icons.Material.Filled.SensorsOff,
    };

    private string ConnectionText
    {
        get
        {
            var state = Connection.State switch
            {
                LiveConnectionState.Live => "Live",
                LiveConnectionState.Reconnecting => "Reconnecting",
                LiveConnectionState.Disconnected => "Disconnected",
                _ => "Connecting",
            };
            return Connection.LastMessageAt is { } at ? $"{state} · last update {DisplayFormat.Ago(at, Time.GetUtcNow())}" : state;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _subscription = Connection.OnChanged(() => InvokeAsync(StateHasChanged));
        _clock = Time.CreateTimer(_ => InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        await Connection.StartAsync();
        _metrics = await Selection.LoadAsync();
    }

    private async Task OnSelectedChangedAsync(IReadOnlyList<string> names)
    {
        _metrics = names;
        await Selection.SaveAsync(names);
    }

    private Task RemoveAsync(string name) => OnSelectedChangedAsync([.. _metrics.Where(n => n != name)]);

    public void Dispose()
    {
        _subscription?.Dispose();
        _clock?.Dispose();
    }
}
