using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// The grid.js module: the same instance App.razor's grid-boot.js loaded (one URL through the
/// import map), so a grid painted before the app started is taken over, not fetched again.
/// </summary>
public sealed class GridModule(IJSRuntime js) : IGridView, IAsyncDisposable
{
    public const string Path = "./lib/monitoring/grid.js";

    private Task<IJSObjectReference>? _module;

    private Task<IJSObjectReference> Module() => _module ??= js.InvokeAsync<IJSObjectReference>("import", Path).AsTask();

    public async Task<long> LoadAsync(bool force, CancellationToken cancellationToken) =>
        await (await Module()).InvokeAsync<long>("load", cancellationToken, force);

    public async Task ApplyAsync(GridDelta delta, CancellationToken cancellationToken)
    {
        // Parallel arrays: a few numbers and names per changed tile cross the interop boundary.
        var ids = new long[delta.Changed.Count];
        var names = new string[delta.Changed.Count];
        var statuses = new int[delta.Changed.Count];
        for (var i = 0; i < ids.Length; i++) (ids[i], names[i], statuses[i]) = (delta.Changed[i].Id, delta.Changed[i].Name, delta.Changed[i].Status);
        await (await Module()).InvokeVoidAsync("apply", cancellationToken, delta.Sequence, ids, names, statuses, delta.Removed);
    }

    /// <summary>Shows the grid in <paramref name="host"/>.</summary>
    public async Task AttachAsync(ElementReference host) => await (await Module()).InvokeVoidAsync("attach", host);

    /// <summary>Takes the grid out of <paramref name="host"/>; its data stays and keeps following deltas.</summary>
    public async Task DetachAsync(ElementReference host) => await (await Module()).InvokeVoidAsync("detach", host);

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try { await (await _module).DisposeAsync(); }
        catch (JSDisconnectedException) { }
    }
}
