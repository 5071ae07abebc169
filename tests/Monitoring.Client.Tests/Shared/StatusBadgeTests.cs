using Bunit;
using Monitoring.Client.Shared;

namespace Monitoring.Client.Tests.Shared;

public sealed class StatusBadgeTests : MonitoringTestContext
{
    [Theory]
    [InlineData("healthy", "Healthy")]
    [InlineData("degraded", "Degraded")]
    [InlineData("unhealthy", "Unhealthy")]
    [InlineData("paused", "Paused")]
    [InlineData("unknown", "Unknown")]
    public void ShowsAnIconAndAWord(string status, string label)
    {
        var cut = Render<StatusBadge>(p => p.Add(b => b.Status, status).AddUnmatched("id", "badge"));

        var badge = cut.Find("#badge");
        Assert.Equal(status, badge.GetAttribute("data-status"));
        Assert.Equal(label, badge.TextContent.Trim());
        Assert.NotNull(badge.QuerySelector("svg"));
        Assert.Contains($"status-{status}", badge.ClassName);
    }

    [Fact]
    public void AnUnexpectedStatusShowsAsUnknown()
    {
        var cut = Render<StatusBadge>(p => p.Add(b => b.Status, "exploded"));

        Assert.Equal("unknown", cut.Find(".status-badge").GetAttribute("data-status"));
    }
}
