using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;

namespace Monitoring.Client.Shared.Charts;

/// <summary>
/// A datetime line chart of one series, with an optional horizontal threshold line. Give it the
/// initial points through <see cref="Points"/> (a new list replaces the data) and live points
/// through <see cref="AppendAsync"/>, which sends only the new points across the interop boundary.
/// </summary>
public sealed class TimeSeriesChart : ChartBase
{
    private readonly List<ChartPoint> _points = [];
    private IReadOnlyList<ChartPoint>? _givenPoints;
    private double? _shownThreshold;
    private double? _shownMax;

    /// <summary>Oldest first.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<ChartPoint> Points { get; set; }

    [Parameter] public string SeriesName { get; set; } = "Value";

    /// <summary>Drawn as a dashed line with a label; the y axis always reaches it so it stays in view.</summary>
    [Parameter] public double? Threshold { get; set; }

    [Parameter] public string? ThresholdLabel { get; set; }

    /// <summary>Shown as the y axis title and in the threshold label.</summary>
    [Parameter] public string Unit { get; set; } = "";

    [Parameter] public int Height { get; set; } = 260;

    [Parameter] public string Color { get; set; } = ChartColors.Primary;

    /// <summary>Points kept, here and in the browser; the oldest fall off.</summary>
    [Parameter] public int MaxPoints { get; set; } = 500;

    protected override string CssClass => "time-series-chart";

    // For testing.
    internal IReadOnlyList<ChartPoint> CurrentPoints => _points;

    protected override async Task OnParametersSetAsync()
    {
        base.OnParametersSet();
        var pointsChanged = !ReferenceEquals(Points, _givenPoints);
        if (pointsChanged)
        {
            _givenPoints = Points;
            _points.Clear();
            _points.AddRange(Points.TakeLast(MaxPoints));
        }
        var thresholdChanged = Threshold != _shownThreshold;
        if (!pointsChanged && !thresholdChanged) return;
        var options = new JsonObject();
        if (pointsChanged) options["series"] = Series();
        if (thresholdChanged) options["annotations"] = Annotations();
        options["yaxis"] = YAxis();
        _shownThreshold = Threshold;
        await UpdateAsync(options);
    }

    /// <summary>Adds live points (oldest first) without redrawing from scratch.</summary>
    public async Task AppendAsync(IReadOnlyList<ChartPoint> points)
    {
        if (points.Count == 0) return;
        _points.AddRange(points);
        if (_points.Count > MaxPoints) _points.RemoveRange(0, _points.Count - MaxPoints);
        await AppendPointsAsync(0, points, MaxPoints);
        // A point above the current top would be clipped: raise the axis.
        if (YMax() != _shownMax) await UpdateAsync(new JsonObject { ["yaxis"] = YAxis() });
    }

    protected override JsonObject BuildOptions()
    {
        _shownMax = YMax();
        return new JsonObject
        {
            ["chart"] = ChartModule.BaseChart("area", Height),
            ["series"] = Series(),
            ["colors"] = new JsonArray(Color),
            ["dataLabels"] = new JsonObject { ["enabled"] = false },
            ["stroke"] = new JsonObject { ["curve"] = "straight", ["width"] = 2 },
            ["fill"] = new JsonObject { ["type"] = "solid", ["opacity"] = 0.15 },
            ["markers"] = new JsonObject { ["size"] = 0 },
            ["grid"] = new JsonObject { ["borderColor"] = "rgba(128,128,128,0.25)" },
            ["xaxis"] = new JsonObject
            {
                ["type"] = "datetime",
                ["labels"] = new JsonObject { ["datetimeUTC"] = false },
            },
            ["yaxis"] = YAxis(),
            ["annotations"] = Annotations(),
            ["tooltip"] = new JsonObject { ["theme"] = "dark", ["x"] = new JsonObject { ["format"] = "HH:mm:ss" } },
            ["noData"] = new JsonObject { ["text"] = "No data yet" },
        };
    }

    private JsonArray Series() =>
        new(new JsonObject { ["name"] = SeriesName, ["data"] = ChartModule.Points(_points) });

    private JsonObject YAxis()
    {
        var axis = new JsonObject
        {
            ["min"] = 0,
            ["decimalsInFloat"] = 0,
            ["forceNiceScale"] = true,
        };
        if (Unit.Length > 0) axis["title"] = new JsonObject { ["text"] = Unit };
        _shownMax = YMax();
        if (_shownMax is { } max) axis["max"] = max;
        return axis;
    }

    private JsonObject Annotations()
    {
        var lines = new JsonArray();
        if (Threshold is { } threshold)
        {
            var label = ThresholdLabel ?? $"Threshold {threshold.ToString("0.##", CultureInfo.InvariantCulture)} {Unit}".TrimEnd();
            lines.Add(new JsonObject
            {
                ["y"] = threshold,
                ["borderColor"] = ChartColors.Threshold,
                ["strokeDashArray"] = 6,
                ["label"] = new JsonObject
                {
                    ["text"] = label,
                    ["borderColor"] = ChartColors.Threshold,
                    ["style"] = new JsonObject { ["color"] = "#000", ["background"] = ChartColors.Threshold },
                },
            });
        }
        return new JsonObject { ["yaxis"] = lines };
    }

    // The top of the y axis: 15 % above the highest point or the threshold, whichever is higher, so the
    // threshold line is always on the chart. Null (automatic) when there is neither.
    private double? YMax()
    {
        var top = Threshold ?? 0;
        foreach (var p in _points)
        {
            if (p.Value is { } v && v > top) top = v;
        }
        return top > 0 ? Math.Ceiling(top * 1.15) : null;
    }
}
