using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>What one attempt of a check saw. The executor adds timeouts, retries and the latency threshold.</summary>
public sealed record CheckOutcome(ServiceStatus Status, double LatencyMs, string? Message, int? StatusCode = null)
{
    public static CheckOutcome Up(double latencyMs, string? message = null, int? statusCode = null) => new(ServiceStatus.Healthy, latencyMs, message, statusCode);
    public static CheckOutcome Down(double latencyMs, string message, int? statusCode = null) => new(ServiceStatus.Unhealthy, latencyMs, message, statusCode);
}

/// <summary>Checks one kind of service. Implementations are singletons and thread-safe.</summary>
public interface IChecker
{
    ServiceType Type { get; }

    /// <summary>
    /// Runs one attempt. <paramref name="cancellationToken"/> fires at the service's timeout;
    /// the executor turns the cancellation into an unhealthy "timed out" outcome.
    /// </summary>
    Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken);
}
