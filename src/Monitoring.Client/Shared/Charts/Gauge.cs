using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;

namespace Monitoring.Client.Shared.Charts;

/// <summary>
/// A radial bar showing a percentage (uptime, disk used…). The figure is drawn in the middle;
/// <see cref="ChartBase.AriaLabel"/> should say it in words too.
/// </summary>
public sealed class Gauge : ChartBase
{
    private double? _shownValue;
    private string? _shownColor;

    /// <summary>0–100; null draws an empty ring without a figure.</summary>
    [Parameter] public double? Value { get; set; }

    [Parameter] public string Label { get; set; } = "";

    [Parameter] public int Height { get; set; } = 180;

    [Parameter] public string Color { get; set; } = ChartColors.Primary;

    protected override string CssClass => "gauge";

    protected override async Task OnParametersSetAsync()
    {
        base.OnParametersSet();
        if (Value == _shownValue && Color == _shownColor) return;
        _shownValue = Value;
        _shownColor = Color;
        // A radial bar ignores new series and colours passed through updateOptions: draw it afresh
        // (cheap, and a gauge changes seldom).
        await RecreateAsync();
    }

    protected override JsonObject BuildOptions() => new()
    {
        ["chart"] = ChartModule.BaseChart("radialBar", Height),
        ["series"] = Series(),
        ["labels"] = new JsonArray(Label),
        ["colors"] = new JsonArray(Color),
        ["plotOptions"] = PlotOptions(),
        ["stroke"] = new JsonObject { ["lineCap"] = "round" },
    };

    // Rounded here: the default label prints the raw number followed by "%".
    private JsonArray Series() => new(Math.Round(Math.Clamp(Value ?? 0, 0, 100), 2));

    private JsonObject PlotOptions() => new()
    {
        ["radialBar"] = new JsonObject
        {
            ["startAngle"] = -135,
            ["endAngle"] = 135,
            ["hollow"] = new JsonObject { ["size"] = "60%" },
            ["track"] = new JsonObject { ["background"] = "rgba(128,128,128,0.25)" },
            ["dataLabels"] = new JsonObject
            {
                ["name"] = new JsonObject { ["show"] = Label.Length > 0, ["offsetY"] = 20 },
                ["value"] = new JsonObject
                {
                    ["show"] = Value is not null,
                    ["offsetY"] = -10,
                    ["fontSize"] = "1.4rem",
                    ["color"] = ChartModule.ForeColor,
                },
            },
        },
    };
}
