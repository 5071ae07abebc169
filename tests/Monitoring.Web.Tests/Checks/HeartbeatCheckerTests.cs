using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class HeartbeatCheckerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly HeartbeatTracker _tracker;
    private readonly HeartbeatChecker _checker;
    // Interval 60 s, timeout 5 s as grace: stale after 65 s.
    private readonly ServiceDefinition _service = Service(ServiceType.Heartbeat, "") with { IntervalSeconds = 60, TimeoutMs = 5000 };

    public HeartbeatCheckerTests()
    {
        _tracker = new HeartbeatTracker(_time);
        _checker = new HeartbeatChecker(_tracker, _time);
    }

    private Task<CheckOutcome> Check() => _checker.CheckAsync(_service, CancellationToken.None);

    [Fact]
    public async Task Process_start_gives_one_interval_of_grace()
    {
        _time.Advance(TimeSpan.FromSeconds(65));
        var fresh = await Check();
        Assert.Equal(ServiceStatus.Healthy, fresh.Status);
        Assert.Contains("No heartbeat yet", fresh.Message);

        _time.Advance(TimeSpan.FromSeconds(1));
        var stale = await Check();
        Assert.Equal(ServiceStatus.Unhealthy, stale.Status);
        Assert.Equal("No heartbeat for 66 s (expected every 60 s).", stale.Message);
    }

    [Fact]
    public async Task A_push_keeps_it_healthy_for_one_interval()
    {
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(ServiceStatus.Unhealthy, (await Check()).Status);

        _tracker.Beat(_service.Id);
        _time.Advance(TimeSpan.FromSeconds(30));
        var recent = await Check();
        Assert.Equal(ServiceStatus.Healthy, recent.Status);
        Assert.Equal("Last heartbeat 30 s ago.", recent.Message);

        _time.Advance(TimeSpan.FromSeconds(40));
        var late = await Check();
        Assert.Equal(ServiceStatus.Unhealthy, late.Status);
        Assert.StartsWith("No heartbeat for 70 s", late.Message);
    }
}
