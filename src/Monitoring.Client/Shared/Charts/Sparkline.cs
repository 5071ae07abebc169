using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;

namespace Monitoring.Client.Shared.Charts;

/// <summary>A tiny line without axes, for a trend next to a figure. A changed set of values redraws it.</summary>
public sealed class Sparkline : ChartBase
{
    private double?[] _values = [];

    /// <summary>Oldest first; null leaves a gap.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<double?> Values { get; set; }

    [Parameter] public int Height { get; set; } = 32;

    [Parameter] public int Width { get; set; } = 120;

    [Parameter] public string Color { get; set; } = ChartColors.Primary;

    protected override string CssClass => "sparkline";

    protected override async Task OnParametersSetAsync()
    {
        base.OnParametersSet();
        // Parents re-render for all sorts of reasons; only a real change crosses into JS.
        if (Values.SequenceEqual(_values)) return;
        _values = [.. Values];
        await UpdateAsync(new JsonObject { ["series"] = Series() });
    }

    protected override JsonObject BuildOptions()
    {
        var chart = ChartModule.BaseChart("line", Height);
        chart["width"] = Width;
        chart["sparkline"] = new JsonObject { ["enabled"] = true };
        return new JsonObject
        {
            ["chart"] = chart,
            ["series"] = Series(),
            ["colors"] = new JsonArray(Color),
            ["stroke"] = new JsonObject { ["curve"] = "straight", ["width"] = 1.5 },
            ["tooltip"] = new JsonObject { ["enabled"] = false },
        };
    }

    private JsonArray Series()
    {
        var data = new JsonArray();
        foreach (var v in _values) data.Add(v);
        return new JsonArray(new JsonObject { ["name"] = "Value", ["data"] = data });
    }
}
