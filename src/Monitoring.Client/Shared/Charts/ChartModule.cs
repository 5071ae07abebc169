using System.Text.Json.Nodes;
using Microsoft.JSInterop;

namespace Monitoring.Client.Shared.Charts;

/// <summary>
/// The .NET side of <c>wwwroot-assets/src/charts.js</c>: creates, appends to, updates and destroys
/// ApexCharts instances by element id. Options travel as <see cref="JsonObject"/> so they serialize
/// without reflection on anonymous types (trim-safe) and tests can read them back.
/// </summary>
public static class ChartModule
{
    /// <summary>Where the build copies the module (App.razor already loads ApexCharts itself).</summary>
    public const string Path = "./lib/monitoring/charts.js";

    public const string Create = "create";
    public const string AppendPoints = "appendPoints";
    public const string Update = "update";
    public const string Destroy = "destroy";

    /// <summary>
    /// Axis and label colour: an SVG attribute, so a CSS variable can't be used; a mid grey reads on
    /// both the dark and the light theme.
    /// </summary>
    public const string ForeColor = "#9e9e9e";

    public static Task<IJSObjectReference> ImportAsync(IJSRuntime js) =>
        js.InvokeAsync<IJSObjectReference>("import", Path).AsTask();

    /// <summary>The options every chart shares: no animation (a wall screen redraws all day), transparent background.</summary>
    public static JsonObject BaseChart(string type, int height) => new()
    {
        ["type"] = type,
        ["height"] = height,
        ["background"] = "transparent",
        ["foreColor"] = ForeColor,
        ["fontFamily"] = "Roboto, system-ui, sans-serif",
        ["animations"] = new JsonObject { ["enabled"] = false },
        ["toolbar"] = new JsonObject { ["show"] = false },
        ["zoom"] = new JsonObject { ["enabled"] = false },
    };

    public static JsonArray Points(IEnumerable<ChartPoint> points)
    {
        var array = new JsonArray();
        foreach (var p in points) array.Add(new JsonArray(p.At.ToUnixTimeMilliseconds(), p.Value));
        return array;
    }
}
