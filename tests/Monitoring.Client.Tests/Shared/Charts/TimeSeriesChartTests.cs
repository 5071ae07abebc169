using System.Text.Json.Nodes;
using Bunit;
using Monitoring.Client.Shared.Charts;

namespace Monitoring.Client.Tests.Shared.Charts;

public sealed class TimeSeriesChartTests : ChartTestContext
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static ChartPoint[] Points(params double?[] values) =>
        values.Select((v, i) => new ChartPoint(s_t0.AddSeconds(30 * i), v)).ToArray();

    [Fact]
    public void CreatesAnAreaChartOnADatetimeAxisWithTheThresholdLine()
    {
        var cut = Render<TimeSeriesChart>(p => p
            .Add(c => c.Id, "latency")
            .Add(c => c.Points, Points(100, 200, null))
            .Add(c => c.SeriesName, "Latency")
            .Add(c => c.Unit, "ms")
            .Add(c => c.Threshold, 800));

        var create = Module.VerifyInvoke(ChartModule.Create);
        Assert.Equal("latency", create.Arguments[0]);
        Assert.Equal("latency", cut.Find("div.chart").Id);
        var options = Assert.IsType<JsonObject>(create.Arguments[1]);
        Assert.Equal("area", (string?)options["chart"]!["type"]);
        Assert.Equal("datetime", (string?)options["xaxis"]!["type"]);
        var series = options["series"]!.AsArray().Single()!;
        Assert.Equal("Latency", (string?)series["name"]);
        var data = series["data"]!.AsArray();
        Assert.Equal(3, data.Count);
        Assert.Equal(s_t0.ToUnixTimeMilliseconds(), (long)data[0]![0]!);
        Assert.Equal(200, (double)data[1]![1]!);
        Assert.Null(data[2]![1]);
        var line = options["annotations"]!["yaxis"]!.AsArray().Single()!;
        Assert.Equal(800, (double)line["y"]!);
        Assert.Equal("Threshold 800 ms", (string?)line["label"]!["text"]);
        // The axis reaches past the threshold even though every point is below it.
        Assert.True((double)options["yaxis"]!["max"]! > 800);
    }

    [Fact]
    public void HasNoThresholdLineWithoutAThreshold()
    {
        Render<TimeSeriesChart>(p => p.Add(c => c.Points, Points(5)));

        var options = (JsonObject)Module.VerifyInvoke(ChartModule.Create).Arguments[1]!;
        Assert.Empty(options["annotations"]!["yaxis"]!.AsArray());
    }

    [Fact]
    public async Task AppendSendsOnlyTheNewPointsAndKeepsTheWindowBounded()
    {
        var cut = Render<TimeSeriesChart>(p => p.Add(c => c.Id, "latency").Add(c => c.Points, Points(1, 2, 3)).Add(c => c.MaxPoints, 4));
        Module.VerifyInvoke(ChartModule.Create);

        await cut.InvokeAsync(() => cut.Instance.AppendAsync([new ChartPoint(s_t0.AddMinutes(5), 4), new ChartPoint(s_t0.AddMinutes(6), 5)]));

        var append = Module.VerifyInvoke(ChartModule.AppendPoints);
        Assert.Equal("latency", append.Arguments[0]);
        Assert.Equal(0, append.Arguments[1]);
        var sent = Assert.IsType<JsonArray>(append.Arguments[2]);
        Assert.Equal([4d, 5d], sent.Select(p => (double)p![1]!));
        Assert.Equal(4, append.Arguments[3]);
        Assert.Equal([2d, 3d, 4d, 5d], cut.Instance.CurrentPoints.Select(p => p.Value!.Value));
    }

    [Fact]
    public async Task APointAboveTheAxisRaisesIt()
    {
        var cut = Render<TimeSeriesChart>(p => p.Add(c => c.Points, Points(100)).Add(c => c.Threshold, 200));

        await cut.InvokeAsync(() => cut.Instance.AppendAsync([new ChartPoint(s_t0.AddMinutes(1), 1000)]));

        var update = Module.VerifyInvoke(ChartModule.Update);
        Assert.True((double)((JsonObject)update.Arguments[1]!)["yaxis"]!["max"]! >= 1000);
    }

    [Fact]
    public void ANewThresholdUpdatesTheAnnotation()
    {
        var points = Points(100);
        var cut = Render<TimeSeriesChart>(p => p.Add(c => c.Points, points).Add(c => c.Threshold, 200));

        cut.Render(p => p.Add(c => c.Points, points).Add(c => c.Threshold, 300));

        var update = (JsonObject)Module.VerifyInvoke(ChartModule.Update).Arguments[1]!;
        Assert.Equal(300, (double)update["annotations"]!["yaxis"]![0]!["y"]!);
        Assert.Null(update["series"]);
    }

    [Fact]
    public async Task DisposingDestroysTheChart()
    {
        Render<TimeSeriesChart>(p => p.Add(c => c.Id, "latency").Add(c => c.Points, Points(1)));

        await DisposeComponentsAsync();

        Assert.Equal("latency", Module.VerifyInvoke(ChartModule.Destroy).Arguments[0]);
    }
}
