using System.Diagnostics;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>Healthy when a TCP connection to host:port opens; latency is the connect time.</summary>
public sealed class TcpChecker : IChecker
{
    public ServiceType Type => ServiceType.Tcp;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        if (!ServiceValidator.TryParseHostPort(service.Target, out var host, out var port))
            return CheckOutcome.Down(0, $"Target '{service.Target}' is not host:port.");
        var started = Stopwatch.GetTimestamp();
        var (client, error) = await TcpTargets.ConnectAsync(host, port, cancellationToken);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (client is null) return CheckOutcome.Down(latency, error!);
        client.Dispose();
        return service.OfKind(ConditionRules.LatencyMs).FirstOrDefault(c => !c.Holds(latency, "<=")) is { } failed
            ? CheckOutcome.Down(latency, failed.Failed($"{latency:F0} ms", "<="))
            : CheckOutcome.Up(latency, $"Connected to {host}:{port}.");
    }
}
