using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class DnsCheckerTests
{
    private readonly DnsChecker _checker = new();

    [Fact]
    public async Task Localhost_resolves()
    {
        var outcome = await _checker.CheckAsync(Service(ServiceType.Dns, "localhost"), TestTimeout());
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Contains("127.0.0.1", outcome.Message);
    }

    [Fact]
    public async Task Expected_address_is_checked()
    {
        var hit = await _checker.CheckAsync(Service(ServiceType.Dns, "localhost", Condition("bodyContains", "127.0.0.1")), TestTimeout());
        Assert.Equal(ServiceStatus.Healthy, hit.Status);

        var miss = await _checker.CheckAsync(Service(ServiceType.Dns, "localhost", Condition("bodyContains", "10.9.8.7")), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, miss.Status);
        Assert.Contains("10.9.8.7", miss.Message);
    }

    [Fact]
    public async Task Invalid_name_does_not_resolve()
    {
        var outcome = await _checker.CheckAsync(Service(ServiceType.Dns, "no-such-host.invalid"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("does not resolve", outcome.Message);
    }
}
