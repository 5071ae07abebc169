using System.Text.Json.Nodes;
using Bunit;
using Monitoring.Client.Shared.Charts;

namespace Monitoring.Client.Tests.Shared.Charts;

public sealed class GaugeTests : ChartTestContext
{
    [Fact]
    public void CreatesARadialBarWithTheRoundedValue()
    {
        var cut = Render<Gauge>(p => p.Add(c => c.Value, 99.956).Add(c => c.Label, "24h").Add(c => c.AriaLabel, "Uptime 24h: 99.96 %"));

        var options = (JsonObject)Module.VerifyInvoke(ChartModule.Create).Arguments[1]!;
        Assert.Equal("radialBar", (string?)options["chart"]!["type"]);
        Assert.Equal(99.96, (double)options["series"]![0]!);
        Assert.Equal("24h", (string?)options["labels"]![0]);
        Assert.Equal("Uptime 24h: 99.96 %", cut.Find("div.gauge").GetAttribute("aria-label"));
        Assert.Equal("img", cut.Find("div.gauge").GetAttribute("role"));
    }

    [Fact]
    public void WithoutAValueTheFigureIsHidden()
    {
        Render<Gauge>(p => p.Add(c => c.Value, null));

        var options = (JsonObject)Module.VerifyInvoke(ChartModule.Create).Arguments[1]!;
        Assert.Equal(0, (double)options["series"]![0]!);
        Assert.False((bool)options["plotOptions"]!["radialBar"]!["dataLabels"]!["value"]!["show"]!);
    }

    [Fact]
    public void ANewValueRedrawsTheGauge()
    {
        var cut = Render<Gauge>(p => p.Add(c => c.Value, 50));

        cut.Render(p => p.Add(c => c.Value, 75));

        var redraw = (JsonObject)Module.VerifyInvoke(ChartModule.Create, calledTimes: 2)[1].Arguments[1]!;
        Assert.Equal(75, (double)redraw["series"]![0]!);
    }

    [Fact]
    public async Task DisposingDestroysTheChart()
    {
        Render<Gauge>(p => p.Add(c => c.Id, "g").Add(c => c.Value, 1));

        await DisposeComponentsAsync();

        Module.VerifyInvoke(ChartModule.Destroy);
    }
}
