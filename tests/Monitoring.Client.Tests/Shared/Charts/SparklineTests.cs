using System.Text.Json.Nodes;
using Bunit;
using Monitoring.Client.Shared.Charts;

namespace Monitoring.Client.Tests.Shared.Charts;

public sealed class SparklineTests : ChartTestContext
{
    [Fact]
    public void CreatesASparklineWithTheValues()
    {
        Render<Sparkline>(p => p.Add(c => c.Values, [1, 2, null, 4]).Add(c => c.Width, 100));

        var options = (JsonObject)Module.VerifyInvoke(ChartModule.Create).Arguments[1]!;
        Assert.Equal("line", (string?)options["chart"]!["type"]);
        Assert.True((bool)options["chart"]!["sparkline"]!["enabled"]!);
        Assert.Equal(100, (int)options["chart"]!["width"]!);
        Assert.Equal("[1,2,null,4]", options["series"]![0]!["data"]!.ToJsonString());
    }

    [Fact]
    public void OnlyChangedValuesReachTheChart()
    {
        var cut = Render<Sparkline>(p => p.Add(c => c.Values, [1, 2]));

        cut.Render(p => p.Add(c => c.Values, [1, 2]));
        Module.VerifyNotInvoke(ChartModule.Update);

        cut.Render(p => p.Add(c => c.Values, [1, 2, 3]));
        var update = (JsonObject)Module.VerifyInvoke(ChartModule.Update).Arguments[1]!;
        Assert.Equal("[1,2,3]", update["series"]![0]!["data"]!.ToJsonString());
    }

    [Fact]
    public async Task DisposingDestroysTheChart()
    {
        var cut = Render<Sparkline>(p => p.Add(c => c.Values, [1]));
        var id = cut.Find("div.sparkline").Id;

        await DisposeComponentsAsync();

        Assert.Equal(id, Module.VerifyInvoke(ChartModule.Destroy).Arguments[0]);
    }
}
