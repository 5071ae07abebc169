using Microsoft.AspNetCore.Components;
using Monitoring.Client.Live;

namespace Monitoring.Client.Wall;

/// <summary>
/// A banner nobody can miss while the live connection is down, counting how old the data is. It
/// has its own one-second clock so only the banner re-renders, not the wall of tiles.
/// </summary>
public partial class StaleBanner : IDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);
    private IDisposable? _subscription;
    private ITimer? _clock;
    private bool _stale;
    private DateTimeOffset _now;

    [Inject] public required ServicesStore Store { get; init; }
    [Inject] public required TimeProvider Time { get; init; }

    protected override void OnInitialized()
    {
        Update();
        _subscription = Store.OnChanged(() => InvokeAsync(() =>
        {
            Update();
            StateHasChanged();
        }));
        _clock = Time.CreateTimer(_ => InvokeAsync(() =>
        {
            if (!_stale) return;
            _now = Time.GetUtcNow();
            StateHasChanged();
        }), null, s_tick, s_tick);
    }

    // "Connecting" at start-up is not stale: there is no old data to warn about yet.
    private void Update()
    {
        _now = Time.GetUtcNow();
        _stale = Store.ConnectionState is LiveConnectionState.Reconnecting or LiveConnectionState.Disconnected;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _clock?.Dispose();
    }
}
