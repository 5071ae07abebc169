using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class TcpCheckerTests
{
    private readonly TcpChecker _checker = new();

    [Fact]
    public async Task Open_port_is_healthy()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackServer((_, _) => { accepted.TrySetResult(); return Task.CompletedTask; });

        var outcome = await _checker.CheckAsync(Service(ServiceType.Tcp, server.Target), TestTimeout());

        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Contains(server.Target, outcome.Message);
        await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Closed_port_is_unhealthy()
    {
        var outcome = await _checker.CheckAsync(Service(ServiceType.Tcp, $"127.0.0.1:{ClosedPort()}"), TestTimeout());

        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("connection refused", outcome.Message);
    }

    [Fact]
    public async Task Bad_target_is_unhealthy()
    {
        var outcome = await _checker.CheckAsync(Service(ServiceType.Tcp, "no-port"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
    }
}
