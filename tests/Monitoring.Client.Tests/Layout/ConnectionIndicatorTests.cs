using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Layout;
using Monitoring.Client.Live;

namespace Monitoring.Client.Tests.Layout;

public sealed class ConnectionIndicatorTests : MonitoringTestContext
{
    [Fact]
    public void SaysConnectingBeforeTheFirstConnection()
    {
        var cut = Render<ConnectionIndicator>();

        var chip = cut.Find("#connection-state");
        Assert.Equal("connecting", chip.GetAttribute("data-state"));
        Assert.Contains("Connecting", chip.TextContent);
    }

    [Fact]
    public async Task FollowsTheConnectionStateWithText()
    {
        await Services.GetRequiredService<ConnectionStore>().StartAsync();
        var cut = Render<ConnectionIndicator>();

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);
        cut.WaitForAssertion(() => Assert.Equal("Live", cut.Find("#connection-state").TextContent.Trim()));

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("reconnecting", cut.Find("#connection-state").GetAttribute("data-state"));
            Assert.Contains("Reconnecting", cut.Find("#connection-state").TextContent);
        });

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Disconnected);
        cut.WaitForAssertion(() => Assert.Contains("Disconnected", cut.Find("#connection-state").TextContent));
    }
}
