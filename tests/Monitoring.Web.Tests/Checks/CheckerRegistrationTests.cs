using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;

namespace Monitoring.Web.Tests.Checks;

public sealed class CheckerRegistrationTests
{
    [Fact]
    public void One_singleton_checker_per_service_type()
    {
        using var provider = CheckTestSupport.Provider();
        var checkers = provider.GetServices<IChecker>().ToList();

        Assert.Equal(Enum.GetValues<ServiceType>().OrderBy(t => t), checkers.Select(c => c.Type).OrderBy(t => t));
        Assert.Same(checkers[0], provider.GetServices<IChecker>().First());
    }

    [Fact]
    public void Shared_client_has_no_timeout_of_its_own()
    {
        using var provider = CheckTestSupport.Provider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpChecker.ClientName);
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
