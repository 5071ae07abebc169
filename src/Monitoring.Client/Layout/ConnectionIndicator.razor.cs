using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;
using MudBlazor;

namespace Monitoring.Client.Layout;

/// <summary>The app bar's "Live / Reconnecting / Disconnected" chip.</summary>
public partial class ConnectionIndicator
{
    private IDisposable? _subscription;
    private (string State, string Label, string Icon, Color Color) _view;

    [Inject] public required ConnectionStore Connection { get; init; }

    private string Title => Connection.LastMessageAt is { } at
        ? $"Last update {at.ToLocalTime():yyyy-MM-dd HH:mm:ss}"
        : "No update received yet";

    protected override void OnInitialized()
    {
        _view = Describe(Connection.State);
        _subscription = Connection.OnChanged(() => InvokeAsync(() =>
        {
            _view = Describe(Connection.State);
            StateHasChanged();
        }));
    }

    internal static (string State, string Label, string Icon, Color Color) Describe(LiveConnectionState state) => state switch
    {
        LiveConnectionState.Live => ("live", "Live", Icons.Material.Filled.Sensors, Color.Success),
        LiveConnectionState.Reconnecting => ("reconnecting", "Reconnecting…", Icons.Material.Filled.Sync, Color.Warning),
        LiveConnectionState.Disconnected => ("disconnected", "Disconnected", Icons.Material.Filled.CloudOff, Color.Error),
        _ => ("connecting", "Connecting…", Icons.Material.Filled.HourglassEmpty, Color.Default),
    };

    public void Dispose() => _subscription?.Dispose();
}
