using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Live;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests.Live;

public sealed class ConnectionStoreTests : MonitoringTestContext
{
    [Fact]
    public async Task FollowsTheConnectionAndTheLastMessage()
    {
        var store = Services.GetRequiredService<ConnectionStore>();
        await store.StartAsync();
        Assert.True(LiveFeed.Started);
        Assert.Equal(LiveConnectionState.Connecting, store.State);
        Assert.Null(store.LastMessageAt);

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);
        await LiveFeed.PushMetricsAsync(new MetricsDelta(1, []));
        Assert.True(store.IsLive);
        Assert.NotNull(store.LastMessageAt);

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        Assert.Equal(LiveConnectionState.Reconnecting, store.State);
        await LiveFeed.SetConnectionAsync(LiveConnectionState.Disconnected);
        Assert.Equal(LiveConnectionState.Disconnected, store.State);
    }
}
