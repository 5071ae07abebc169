using Bunit;
using Monitoring.Client.Api;
using Monitoring.Client.Shared;

namespace Monitoring.Client.Tests.Shared;

public sealed class StatusHistoryStripTests : MonitoringTestContext
{
    private static CheckResultInfo Result(int second, string status, string? message = null) =>
        new(1, ApiData.T0.AddSeconds(second), null, status, 8.5, message, 200, 1);

    [Fact]
    public void DrawsACellPerCheckWithTextForScreenReaders()
    {
        var cut = Render<StatusHistoryStrip>(p => p.Add(s => s.Results, [Result(0, "healthy"), Result(30, "degraded", "slow"), Result(60, "bogus")]));

        var cells = cut.FindAll(".history-cell");
        Assert.Equal(["healthy", "degraded", "unknown"], cells.Select(c => c.GetAttribute("data-status")));
        Assert.Contains("Degraded · 8.5 ms · HTTP 200 · slow", cells[1].QuerySelector(".visually-hidden")!.TextContent);
        Assert.Equal(cells[1].QuerySelector(".visually-hidden")!.TextContent, cells[1].GetAttribute("title"));
        Assert.Equal("Last 3 checks: 1 degraded, 1 unknown, 1 healthy", cut.Find("ol").GetAttribute("aria-label"));
    }

    [Fact]
    public void SaysWhenThereAreNoChecks()
    {
        var cut = Render<StatusHistoryStrip>(p => p.Add(s => s.Results, []));

        Assert.Empty(cut.FindAll(".history-cell"));
        Assert.Contains("No checks yet", cut.Markup);
    }
}
