using Monitoring.Web.Hosting;

namespace Monitoring.Web.Checks;

public static class CheckerRegistration
{
    /// <summary>Registers one <see cref="IChecker"/> per service type and the shared HTTP client.</summary>
    public static IServiceCollection AddCheckers(this IServiceCollection services, MonitoringOptions options)
    {
        return services;
    }
}
