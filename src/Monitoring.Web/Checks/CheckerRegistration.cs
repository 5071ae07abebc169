using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

public static class CheckerRegistration
{
    /// <summary>Registers one <see cref="IChecker"/> per service type and the shared HTTP client.</summary>
    public static IServiceCollection AddCheckers(this IServiceCollection services, MonitoringOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HeartbeatTracker>();
        // Every checker that connects out (http, tcp, tls, redis) goes through this one policy.
        services.AddOutboundPolicy(options);

        var userAgent = options.Checks.UserAgent;
        services.AddHttpClient(HttpChecker.ClientName, client =>
            {
                // The executor owns the timeout (per service); HttpClient's own 100 s would only interfere.
                client.Timeout = Timeout.InfiniteTimeSpan;
                if (!string.IsNullOrWhiteSpace(userAgent)) client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => HttpChecker.CreateHandler(sp.GetRequiredService<OutboundPolicy>(), options.Checks.MaxConnectionsPerHost))
            // The handler rotates its own connections (PooledConnectionLifetime); recycling it too
            // would only drop warm connections.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // Thousands of checks a minute: per-request log lines would drown everything else.
            .RemoveAllLoggers();

        services.AddSingleton<IChecker, HttpChecker>();
        services.AddSingleton<IChecker, TcpChecker>();
        services.AddSingleton<IChecker, DnsChecker>();
        services.AddSingleton<IChecker, TlsChecker>();
        services.AddSingleton<IChecker, HeartbeatChecker>();
        services.AddSingleton<IChecker, HostChecker>();
        services.AddSingleton<IChecker, RedisChecker>();
        services.AddSingleton<IChecker, DatabaseChecker>();
        return services;
    }
}
