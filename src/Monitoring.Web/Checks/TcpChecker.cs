using System.Diagnostics;
using Monitoring.Core.Services;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

/// <summary>
/// Healthy when a TCP connection to host:port opens; latency is the connect time. Addresses the
/// outbound policy blocks are never connected to (unhealthy, saying so).
/// </summary>
/// <param name="outbound">The app's policy (DI); without one, the built-in rules (<see cref="OutboundPolicy.Default"/>).</param>
public sealed class TcpChecker(OutboundPolicy? outbound = null) : IChecker
{
    private readonly OutboundPolicy _outbound = outbound ?? OutboundPolicy.Default;

    public ServiceType Type => ServiceType.Tcp;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        if (!ServiceValidator.TryParseHostPort(service.Target, out var host, out var port))
            return CheckOutcome.Down(0, $"Target '{service.Target}' is not host:port.");
        var started = Stopwatch.GetTimestamp();
        var (stream, error) = await TcpTargets.ConnectAsync(_outbound, host, port, cancellationToken);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (stream is null) return CheckOutcome.Down(latency, error!);
        await stream.DisposeAsync();
        return service.OfKind(ConditionRules.LatencyMs).FirstOrDefault(c => !c.Holds(latency, "<=")) is { } failed
            ? CheckOutcome.Down(latency, failed.Failed($"{latency:F0} ms", "<="))
            : CheckOutcome.Up(latency, $"Connected to {host}:{port}.");
    }
}
