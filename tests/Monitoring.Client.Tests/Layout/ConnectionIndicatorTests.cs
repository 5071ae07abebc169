using Bunit;
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
        Feed.ConnectOnStart = false;
        await Store.StartAsync();
        var cut = Render<ConnectionIndicator>();

        await Feed.SetConnectionAsync(LiveConnectionState.Live);
        cut.WaitForAssertion(() => Assert.Equal("Live", cut.Find("#connection-state").TextContent.Trim()));

        await Feed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("reconnecting", cut.Find("#connection-state").GetAttribute("data-state"));
            Assert.Contains("Reconnecting", cut.Find("#connection-state").TextContent);
        });

        await Feed.SetConnectionAsync(LiveConnectionState.Disconnected);
        cut.WaitForAssertion(() => Assert.Contains("Disconnected", cut.Find("#connection-state").TextContent));
    }
}
