using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.JSInterop;

namespace Monitoring.Client.Shared.Charts;

/// <summary>
/// A <c>div</c> that ApexCharts draws into once it is in the DOM. Subclasses say what the options
/// are; this class owns the life cycle: create after the first render, send changes only once the
/// chart exists, and destroy it on dispose so the instance and its listeners don't outlive the page.
/// </summary>
public abstract class ChartBase : ComponentBase, IAsyncDisposable
{
    private static long s_nextId;
    private IJSObjectReference? _module;
    private bool _disposed;
    // Set when creation begins: changes before it are simply part of the create options.
    private bool _createStarted;
    // A change arrived while the chart was being created: redraw from the full options once it exists.
    private bool _stale;

    [Inject] public required IJSRuntime JS { get; init; }

    /// <summary>The element id; stable ids make the chart findable in tests. Generated when not set.</summary>
    [Parameter] public string? Id { get; set; }

    [Parameter] public string? Class { get; set; }

    /// <summary>What a screen reader announces instead of the drawing.</summary>
    [Parameter] public string? AriaLabel { get; set; }

    protected string ElementId { get; private set; } = "";

    /// <summary>True once the JS side has drawn the chart; before that, changes are simply part of the create options.</summary>
    protected bool IsCreated { get; private set; }

    protected abstract string CssClass { get; }

    protected abstract JsonObject BuildOptions();

    protected override void OnParametersSet()
    {
        if (ElementId.Length == 0) ElementId = Id ?? $"chart-{Interlocked.Increment(ref s_nextId)}";
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "id", ElementId);
        builder.AddAttribute(2, "class", string.IsNullOrEmpty(Class) ? $"chart {CssClass}" : $"chart {CssClass} {Class}");
        builder.AddAttribute(3, "role", "img");
        builder.AddAttribute(4, "aria-label", AriaLabel);
        builder.CloseElement();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _createStarted = true;
        try
        {
            _module = await ChartModule.ImportAsync(JS);
            if (_disposed) return;
            _stale = false;
            IsCreated = await _module.InvokeAsync<bool>(ChartModule.Create, ElementId, BuildOptions());
            if (IsCreated && _stale && !_disposed)
            {
                _stale = false;
                await _module.InvokeAsync<bool>(ChartModule.Update, ElementId, BuildOptions());
            }
        }
        catch (JSDisconnectedException)
        {
            // The page is going away; nothing to draw.
        }
    }

    /// <summary>Merges <paramref name="options"/> into the drawn chart (new series, annotations, axis bounds).</summary>
    protected async Task UpdateAsync(JsonObject options)
    {
        if (_disposed || !_createStarted) return;
        if (!IsCreated || _module is null)
        {
            _stale = true;
            return;
        }
        await _module.InvokeAsync<bool>(ChartModule.Update, ElementId, options);
    }

    /// <summary>Draws the chart again from <see cref="BuildOptions"/>, for changes ApexCharts doesn't apply in place.</summary>
    protected async Task RecreateAsync()
    {
        if (_disposed || !_createStarted) return;
        if (!IsCreated || _module is null)
        {
            _stale = true;
            return;
        }
        // create() destroys the old instance first.
        await _module.InvokeAsync<bool>(ChartModule.Create, ElementId, BuildOptions());
    }

    /// <summary>Adds points to one series on the JS side, which keeps at most <paramref name="maxPoints"/>.</summary>
    protected async Task AppendPointsAsync(int seriesIndex, IReadOnlyList<ChartPoint> points, int maxPoints)
    {
        if (_disposed || !_createStarted || points.Count == 0) return;
        if (!IsCreated || _module is null)
        {
            _stale = true;
            return;
        }
        await _module.InvokeAsync<bool>(ChartModule.AppendPoints, ElementId, seriesIndex, ChartModule.Points(points), maxPoints);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        GC.SuppressFinalize(this);
        if (_module is null) return;
        try
        {
            await _module.InvokeVoidAsync(ChartModule.Destroy, ElementId);
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser side is already gone, and the chart with it.
        }
    }
}
