using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Monitoring.Client.Live;

namespace Monitoring.Client.Pages.Overview;

/// <summary>
/// Every service as a tile on a canvas, in a stable order (by name), drawn by grid.js: status by
/// colour and shape, a tooltip with name and status, a click opens the service, and the counts and
/// the services that are not healthy as text. The component only hands the module its element and
/// starts the <see cref="GridStore"/>, which feeds it deltas; it never re-renders for a status change.
/// </summary>
public partial class StatusGrid : IAsyncDisposable
{
    private ElementReference _host;
    private bool _attached;

    [Inject] public required GridModule Grid { get; init; }
    [Inject] public required GridStore Store { get; init; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        // Attach first: a grid painted before the app started moves here as it is.
        await Grid.AttachAsync(_host);
        _attached = true;
        await Store.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_attached) return;
        try { await Grid.DetachAsync(_host); }
        catch (JSDisconnectedException) { }
    }
}
