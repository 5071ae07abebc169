using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Live;
using Monitoring.Core.Realtime;
using static Monitoring.Client.Tests.AlertData;

namespace Monitoring.Client.Tests.Live;

public sealed class StatsStoreTests : MonitoringTestContext
{
    private StatsStore Stats => Services.GetRequiredService<StatsStore>();

    [Fact]
    public async Task KeepsARollingWindowPerSeries()
    {
        Services.Configure<LiveOptions>(o => o.MetricWindow = 3);
        await Stats.WatchAsync("cpu");
        Assert.Equal(["cpu"], LiveFeed.Joined);

        await LiveFeed.PushMetricsAsync(new MetricsDelta(1, [Point("cpu", 10, 1, "a"), Point("cpu", 50, 1, "b"), Point("other", 1, 1)]));
        await LiveFeed.PushMetricsAsync(new MetricsDelta(2, [Point("cpu", 20, 2, "a")]));
        await LiveFeed.PushMetricsAsync(new MetricsDelta(3, [Point("cpu", 30, 3, "a")]));
        await LiveFeed.PushMetricsAsync(new MetricsDelta(4, [Point("cpu", 60, 4, "a"), Point("cpu", 60, 4, "a")]));

        var series = Stats.GetSeries("cpu");
        Assert.Equal(2, series.Count);
        var a = series[0];
        Assert.Equal("cpu{host=\"a\"}", a.Key);
        // The window holds the newest three: 20, 30, 60 (10 fell out; the repeated point counts once).
        Assert.Equal((60, 110 / 3.0, 20, 60, 3), (a.Current, a.Average, a.Min, a.Max, a.Samples));
        Assert.Equal(1, series[1].Samples);
        Assert.Empty(Stats.GetSeries("other"));
    }

    [Fact]
    public async Task TheLastWatcherLeavesTheGroup()
    {
        await Stats.WatchAsync("mem");
        await Stats.WatchAsync("mem");
        await LiveFeed.PushMetricsAsync(new MetricsDelta(1, [Point("mem", 1, 1)]));
        await Stats.UnwatchAsync("mem");
        Assert.Empty(LiveFeed.Left);
        await Stats.UnwatchAsync("mem");
        Assert.Equal(["mem"], LiveFeed.Left);
        Assert.Empty(Stats.GetSeries("mem"));
    }
}
