using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Live;
using Monitoring.Client.Pages.Overview;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Tests.Pages.Overview;

public sealed class ConnectionFreshnessTests : MonitoringTestContext
{
    private readonly FakeTimeProvider _time = new(ServiceData.CheckedAt);

    public ConnectionFreshnessTests() => Services.AddSingleton<TimeProvider>(_time);

    [Fact]
    public async Task ShowsTheStateAndHowOldTheLastUpdateIs_AndTheClockKeepsTheAgeCurrent()
    {
        await Services.GetRequiredService<ConnectionStore>().StartAsync();
        var cut = Render<ConnectionFreshness>();
        Assert.Equal("Connecting", cut.Find("#overview-connection").GetAttribute("data-state"));

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Live);
        await LiveFeed.PushMetricsAsync(new MetricsDelta(1, []));
        // The store coalesces its change signals on the (fake) clock.
        _time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.StartsWith("Live · last update", cut.Find("#overview-connection").TextContent.Trim()));
        var before = cut.Find("#overview-connection").TextContent.Trim();

        // No message for a minute: only the clock re-renders the line, and the age moves on.
        for (var i = 0; i < 12; i++) _time.Advance(ConnectionFreshness.ClockInterval);
        cut.WaitForAssertion(() => Assert.NotEqual(before, cut.Find("#overview-connection").TextContent.Trim()));
        Assert.Contains("1 min", cut.Find("#overview-connection").TextContent);

        await LiveFeed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        _time.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("Reconnecting", cut.Find("#overview-connection").GetAttribute("data-state")));
    }
}
